package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditFiles;
import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.AuditQuery;
import jp.mynaguard.proxy.audit.AuditSettings;
import jp.mynaguard.proxy.audit.AuditSink;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every SMTP decision is one audit record with what the policy saw and what became of the message. */
class SmtpAuditTest {
    private static final String CLEAN = "From: tanaka@example.co.jp\r\nTo: someone@partner.example.test\r\n"
            + "Subject: hello\r\n\r\nNo numbers here.\r\n";

    @TempDir
    Path dir;

    private static List<Map<String, Object>> decisions(Path dir) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        new AuditQuery(null, null, null, null, null, null, "decision", null)
                .scan(AuditFiles.list(dir), f -> out.add(f.record()));
        return out;
    }

    private static String ref(String reply) {
        int i = reply.toLowerCase().lastIndexOf("ref ");
        return reply.substring(i + 4).trim();
    }

    @Test
    void blockedHeldAndDeliveredMessagesAreRecorded() throws Exception {
        Path corpus = CorpusRelayTest.corpus();
        Assumptions.assumeTrue(corpus != null, "shared corpus not found");
        String roster;
        String ppap;
        String clean;
        try (AuditLog audit = AuditLog.open(AuditSettings.DEFAULTS.withDir(dir), dir, Clock.systemUTC());
             TestGateway gw = new TestGateway(b -> { }, new RecordingUpstream(), TestGateway.policyFile(), audit);
             RawSmtpClient client = new RawSmtpClient(gw.port())) {
            roster = client.send("tanaka@example.co.jp", List.of("hr@partner.example.test", "sato@example.co.jp"),
                    Files.readAllBytes(corpus.resolve("cases/bulk_01_roster_50_csv.eml")));
            ppap = client.send("tanaka@example.co.jp", List.of("someone@partner.example.test"),
                    Files.readAllBytes(corpus.resolve("cases/archive_05_zipcrypto_ppap.eml")));
            clean = client.send("tanaka@example.co.jp", List.of("someone@partner.example.test"),
                    CLEAN.getBytes(StandardCharsets.US_ASCII));
            assertTrue(audit.flush(10, TimeUnit.SECONDS));
        }
        assertTrue(roster.startsWith("550 5.7.1"), roster);
        assertTrue(ppap.startsWith("250 2.0.0 Held"), ppap);
        assertTrue(clean.startsWith("250"), clean);
        List<Map<String, Object>> d = decisions(dir);
        assertEquals(3, d.size());

        Map<String, Object> blocked = d.get(0);
        assertEquals(ref(roster), blocked.get("ref"));
        assertEquals("smtp", blocked.get("channel"));
        assertEquals("tanaka@example.co.jp", blocked.get("sender"));
        assertEquals(List.of("hr@partner.example.test", "sato@example.co.jp"), blocked.get("recipients"));
        assertEquals(List.of("hr@partner.example.test"), blocked.get("externalRecipients"));
        assertEquals("my-number-block", blocked.get("rule"));
        assertEquals("block", blocked.get("action"));
        assertEquals("enforce", blocked.get("mode"));
        assertTrue(String.valueOf(blocked.get("policyVersion")).matches("[0-9a-f]{64}"));
        assertEquals(50L, blocked.get("myNumbers"), "distinct My Numbers of the roster");
        assertTrue(blocked.get("findings") instanceof Map<?, ?> f && f.containsKey("MY_NUMBER"), blocked.toString());
        assertTrue(String.valueOf(blocked.get("locations")).contains(".csv"), blocked.toString());
        assertEquals("refused", blocked.get("outcome"));
        assertEquals(550L, blocked.get("reply"));
        assertEquals("127.0.0.1", blocked.get("client"));

        Map<String, Object> held = d.get(1);
        assertEquals(ref(ppap), held.get("ref"));
        assertEquals("unscannable-quarantine", held.get("rule"));
        assertEquals("quarantine", held.get("action"));
        assertEquals("held", held.get("outcome"));
        assertTrue(String.valueOf(held.get("unscannable")).contains("reason=encrypted"), held.toString());
        assertTrue(String.valueOf(held.get("attachments")).contains(".zip"), held.toString());

        Map<String, Object> delivered = d.get(2);
        assertEquals("default", delivered.get("rule"));
        assertEquals("allow", delivered.get("action"));
        assertEquals("delivered", delivered.get("outcome"));
        assertEquals(0L, delivered.get("myNumbers"));
    }

    @Test
    void incidentsByTheBuiltInCriteriaAreFlaggedAndAlertedWithinSeconds() throws Exception {
        Path corpus = CorpusRelayTest.corpus();
        Assumptions.assumeTrue(corpus != null, "shared corpus not found");
        Path audit = Files.createDirectories(dir.resolve("audit"));
        RecordingUpstream mail = new RecordingUpstream();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.LinkedBlockingQueue<String> posts = new java.util.concurrent.LinkedBlockingQueue<>();
        hook.createContext("/hook", x -> {
            posts.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        try (AuditLog log = AuditLog.open(AuditSettings.DEFAULTS.withDir(audit), audit, Clock.systemUTC())) {
            jp.mynaguard.proxy.audit.IncidentAlerts alerts = new jp.mynaguard.proxy.audit.IncidentAlerts(log,
                    new AuditSettings.AlertSettings(true, List.of(), java.net.URI.create("http://127.0.0.1:"
                            + hook.getAddress().getPort() + "/hook"), null, java.time.Duration.ofSeconds(5), 3),
                    () -> List.of("security@example.co.jp"), mail, "postmaster@mynaguard.test", "mynaguard.test",
                    java.time.ZoneId.of("Asia/Tokyo"));
            try (TestGateway gw = new TestGateway(b -> { }, new RecordingUpstream(), TestGateway.policyFile(), alerts);
                 RawSmtpClient client = new RawSmtpClient(gw.port())) {
                String roster = client.send("tanaka@example.co.jp", List.of("hr@partner.example.test"),
                        Files.readAllBytes(corpus.resolve("cases/bulk_01_roster_50_csv.eml")));
                String post = posts.poll(30, TimeUnit.SECONDS);
                org.junit.jupiter.api.Assertions.assertNotNull(post, "the webhook heard of the roster");
                assertTrue(post.contains("\"ref\":\"" + ref(roster) + "\""), post);
                client.send("tanaka@example.co.jp", List.of("sato@example.co.jp"),
                        Files.readAllBytes(corpus.resolve("cases/plain_text_01_kw_mynumber_plain.eml")));
                client.send("tanaka@example.co.jp", List.of("someone@partner.example.test"),
                        Files.readAllBytes(corpus.resolve("cases/archive_05_zipcrypto_ppap.eml")));
                String ppap = posts.poll(30, TimeUnit.SECONDS);
                org.junit.jupiter.api.Assertions.assertNotNull(ppap, "the webhook heard of the encrypted zip");
                assertTrue(ppap.contains("unscannable-archive-external"), ppap);
            }
            alerts.close();
            assertTrue(log.flush(10, TimeUnit.SECONDS));
        } finally {
            hook.stop(0);
        }
        List<Map<String, Object>> d = decisions(audit);
        assertEquals(true, d.get(0).get("incident"));
        assertEquals(List.of("high-external", "bulk"), d.get(0).get("incidentReasons"));
        assertEquals(false, d.get(1).get("incident"), "one number to a colleague is blocked, not an incident");
        assertEquals(true, d.get(2).get("incident"));
        assertEquals(2, mail.notices().stream().filter(n -> n.text().contains("Subject: =?UTF-8?")
                && n.recipients().equals(List.of("security@example.co.jp"))).count(),
                "one alert mail per incident to the security team, from the null sender");
    }

    @Test
    void anAuditModeRuleIsRecordedBesideWhatWasDone() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, String.join("\n",
                "version: 1",
                "name: audit mode test",
                "organization:",
                "  internal_domains: [example.co.jp]",
                "  users:",
                "    - address: tanaka@example.co.jp",
                "      logins: [tanaka]",
                "      groups: [jinji]",
                "  groups:",
                "    - name: jinji",
                "rules:",
                "  - name: external-would-block",
                "    mode: audit",
                "    when:",
                "      external_recipients: any",
                "    action: block",
                "default: allow", ""));
        Path audit = Files.createDirectories(dir.resolve("audit"));
        String reply;
        try (AuditLog log = AuditLog.open(AuditSettings.DEFAULTS.withDir(audit), audit, Clock.systemUTC());
             TestGateway gw = new TestGateway(b -> { }, new RecordingUpstream(), policy, log);
             RawSmtpClient client = new RawSmtpClient(gw.port())) {
            reply = client.send("tanaka@example.co.jp", List.of("someone@partner.example.test"),
                    CLEAN.getBytes(StandardCharsets.US_ASCII));
            assertTrue(log.flush(10, TimeUnit.SECONDS));
        }
        assertTrue(reply.startsWith("250"), reply);
        Map<String, Object> r = decisions(audit).get(0);
        assertEquals("audit", r.get("mode"));
        assertEquals("external-would-block", r.get("auditRule"));
        assertEquals("block", r.get("auditAction"));
        assertEquals("default", r.get("rule"));
        assertEquals("allow", r.get("action"));
        assertEquals(List.of("jinji"), r.get("groups"), "the sender's department from the directory");
    }

    @Test
    void whileTheTrailTakesNoRecordsNothingIsDecided() throws Exception {
        List<AuditEvent> recorded = new ArrayList<>();
        AuditSink full = new AuditSink() {
            @Override
            public void record(AuditEvent event) {
                recorded.add(event);
            }

            @Override
            public boolean accepting() {
                return false;
            }
        };
        RecordingUpstream upstream = new RecordingUpstream();
        try (TestGateway gw = new TestGateway(b -> { }, upstream, TestGateway.policyFile(), full);
             RawSmtpClient client = new RawSmtpClient(gw.port())) {
            String reply = client.send("tanaka@example.co.jp", List.of("someone@partner.example.test"),
                    CLEAN.getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply.startsWith("451 4.3.0 Audit trail unavailable"), reply);
        }
        assertEquals(0, upstream.messages().size(), "nothing went out undecided");
        assertTrue(recorded.isEmpty());
    }
}
