package jp.mynaguard.proxy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import jp.mynaguard.proxy.console.ConsoleSettings;
import jp.mynaguard.proxy.hold.Role;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gateway.yaml's {@code console:} section and {@code --console-listen}. */
class ConsoleSettingsReaderTest {
    @TempDir
    Path dir;

    private ConsoleSettings load(String yaml) throws Exception {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, yaml);
        return GatewayConfigLoader.load(f, GatewayConfig.builder()).build().console();
    }

    private String error(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void defaultsAreLoopbackPlainHttpNoRequiredTotp() throws Exception {
        ConsoleSettings c = load("data: d\n");
        assertTrue(c.enabled());
        assertEquals("127.0.0.1", c.listenHost());
        assertEquals(8025, c.listenPort());
        assertFalse(c.tls());
        assertTrue(c.totpRequiredFor().isEmpty());
        assertEquals(Duration.ofMinutes(30), c.sessionIdle());
        assertEquals(Duration.ofHours(12), c.sessionMax());
    }

    @Test
    void theShippedExampleSaysWhatTheDefaultsAre() throws Exception {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(p.resolve("examples/gateway.yaml"))) {
            p = p.getParent();
        }
        ConsoleSettings shipped = GatewayConfigLoader.load(p.resolve("examples/gateway.yaml"), GatewayConfig.builder())
                .build().console();
        assertEquals(ConsoleSettings.DEFAULTS, shipped);
    }

    @Test
    void everySetting() throws Exception {
        Files.writeString(dir.resolve("c.pem"), "x");
        ConsoleSettings c = load("console:\n  listen: 0.0.0.0:8443\n  tls:\n    certificate: c.pem\n    key: k.pem\n"
                + "  require_totp: [approver, ADMIN]\n  session_idle: 15m\n  session_max: 8h\n");
        assertEquals("0.0.0.0", c.listenHost());
        assertEquals(8443, c.listenPort());
        assertTrue(c.tls(), "beyond loopback: HTTPS");
        assertEquals(dir.resolve("c.pem"), c.certificate());
        assertEquals(Set.of(Role.APPROVER, Role.ADMIN), c.totpRequiredFor());
        assertEquals(Duration.ofMinutes(15), c.sessionIdle());
        assertEquals(Duration.ofHours(8), c.sessionMax());
        assertTrue(load("console:\n  listen: localhost:9000\n  https: true\n").tls(), "forced on loopback");
        assertFalse(load("console:\n  listen: '[::]:9000'\n  https: false\n").tls(), "off behind a proxy");
        assertFalse(load("console:\n  listen: '[::1]:9000'\n").tls());
        assertFalse(load("console: false\n").enabled());
        assertFalse(load("console:\n  enabled: false\n").enabled());
    }

    @Test
    void theCommandLineOverridesTheFile() throws Exception {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, "console:\n  listen: 0.0.0.0:8443\n  require_totp: [admin]\n");
        GatewayConfig.Builder b = GatewayConfigLoader.load(f, GatewayConfig.builder());
        b.consoleListen("127.0.0.1:9999");
        ConsoleSettings c = b.build().console();
        assertEquals(9999, c.listenPort());
        assertFalse(c.tls());
        assertEquals(Set.of(Role.ADMIN), c.totpRequiredFor(), "the rest of the file stays");
        assertNull(c.certificate());
    }

    @Test
    void mistakesNameTheKey() {
        assertTrue(error("console:\n  listn: x\n").contains("console.listn: unknown setting"));
        assertTrue(error("console:\n  listen: 'host:port'\n").contains("console.listen"));
        assertTrue(error("console:\n  https: maybe\n").contains("console.https: expected auto, true or false"));
        assertTrue(error("console:\n  tls:\n    certificate: c.pem\n").contains("both certificate and key"));
        assertTrue(error("console:\n  require_totp: [boss]\n").contains("unknown role 'boss'"));
        assertTrue(error("console:\n  session_idle: 13h\n").contains("session_idle must not be longer than session_max"));
        assertTrue(error("console:\n  session_max: 0s\n").contains("console.session_max: must be positive"));
    }
}
