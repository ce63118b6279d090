package jp.mynaguard.proxy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.mynaguard.policy.rules.PolicyLoadException;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy loads become audit records; gateway.yaml's audit section is read and checked. */
class AuditWiringTest {
    private static final String POLICY = String.join("\n",
            "version: 1",
            "name: reload test",
            "organization:",
            "  internal_domains: [example.co.jp]",
            "rules:",
            "  - name: block-numbers",
            "    when:",
            "      findings: {min_level: LOW}",
            "    action: block",
            "default: allow", "");

    @TempDir
    Path dir;

    @Test
    void everyLoadAcceptedOrRejectedIsRecorded() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        List<AuditEvent> events = new ArrayList<>();
        try (PolicyRuntime runtime = PolicyRuntime.start(policy, new jp.mynaguard.proxy.ops.GatewayMetrics(), events::add)) {
            String first = runtime.get().policy().version();
            Files.writeString(policy, POLICY.replace("action: block", "action: blok"));
            assertFalse(runtime.reload().ok());
            Files.writeString(policy, POLICY.replace("name: reload test", "name: reload test 2"));
            assertTrue(runtime.reload().ok());
            assertEquals(3, events.size(), events.toString());
            Map<String, Object> initial = events.get(0).fields();
            assertEquals(AuditEvent.POLICY_RELOAD, events.get(0).type());
            assertEquals(true, initial.get("accepted"));
            assertEquals(true, initial.get("initial"));
            assertEquals(first, initial.get("version"));

            Map<String, Object> rejected = events.get(1).fields();
            assertEquals(false, rejected.get("accepted"));
            assertEquals(first, rejected.get("activeVersion"));
            String errors = String.valueOf(rejected.get("errors"));
            assertTrue(errors.contains("policy.yaml:9:13"), errors);
            assertTrue(errors.contains("blok"), errors);

            Map<String, Object> accepted = events.get(2).fields();
            assertEquals(true, accepted.get("accepted"));
            assertEquals(first, accepted.get("previousVersion"));
            assertEquals(runtime.get().policy().version(), accepted.get("version"));
        }
    }

    @Test
    void aPolicyThatDoesNotLoadAtStartIsRecordedToo() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY.replace("default: allow", ""));
        List<AuditEvent> events = new ArrayList<>();
        assertThrows(PolicyLoadException.class, () -> PolicyRuntime.start(policy, new jp.mynaguard.proxy.ops.GatewayMetrics(), events::add));
        assertEquals(1, events.size());
        assertEquals(false, events.get(0).fields().get("accepted"));
        assertNull(events.get(0).fields().get("activeVersion"));
    }

    @Test
    void theAuditSectionOfGatewayYaml() throws Exception {
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, String.join("\n",
                "audit:",
                "  dir: trail",
                "  checkpoint_every: 500",
                "  checkpoint_interval: 30s",
                "  rotate_bytes: 1048576",
                "  syslog:",
                "    host: syslog.example.co.jp",
                "    tls: true",
                "    trust: syslog-ca.pem",
                "  alerts:",
                "    webhook: https://hooks.example.co.jp/mynaguard",
                "    webhook_attempts: 3",
                "    mail_to: [ciso@example.co.jp]", ""));
        GatewayConfig c = GatewayConfigLoader.load(yaml, GatewayConfig.builder()).build();
        AuditSettings a = c.audit();
        assertEquals(dir.resolve("trail"), a.dir());
        assertEquals(500, a.checkpointEvery());
        assertEquals(Duration.ofSeconds(30), a.checkpointInterval());
        assertEquals(1048576, a.rotateBytes());
        assertEquals("syslog.example.co.jp", a.syslog().host());
        assertEquals(6514, a.syslog().port(), "the RFC 5425 port when tls");
        assertEquals(dir.resolve("syslog-ca.pem"), a.syslog().trustFile());
        assertEquals("https://hooks.example.co.jp/mynaguard", a.alerts().webhook().toString());
        assertEquals(3, a.alerts().webhookAttempts());
        assertEquals(List.of("ciso@example.co.jp"), a.alerts().mailTo());
        assertEquals(GatewayConfig.defaults().dataDir().resolve("audit"), GatewayConfig.defaults().audit()
                .dirUnder(GatewayConfig.defaults().dataDir()), "DATA/audit by default");

        Files.writeString(yaml, "audit:\n  rotate_bites: 10\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("audit.rotate_bites: unknown setting"), e.getMessage());
        Files.writeString(yaml, "audit:\n  rotate_bytes: 1000\n");
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("audit.rotate_bytes: 1000 is out of range"), e.getMessage());
        Files.writeString(yaml, "audit:\n  alerts:\n    webhook: ftp://x\n");
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("http or https"), e.getMessage());
    }
}
