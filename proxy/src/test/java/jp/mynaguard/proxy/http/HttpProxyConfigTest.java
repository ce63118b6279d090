package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.GatewayConfigLoader;
import jp.mynaguard.proxy.gateway.HttpProxySettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits' defaults, their validation, and the http: section of gateway.yaml with the serve flags over it. */
class HttpProxyConfigTest {
    @Test
    void defaultsComeFromTheLimits() {
        HttpProxyConfig c = HttpProxyConfig.builder().build();
        assertEquals(3128, c.listen().getPort());
        assertTrue(c.listen().getAddress().isLoopbackAddress(), "a fresh install is not an open proxy");
        assertEquals(HttpProxyLimits.MAX_BODY_BYTES, c.maxBodyBytes());
        assertEquals(HttpProxyLimits.HEAD_DEADLINE, c.headDeadline());
        assertEquals(HttpProxyLimits.APPROVAL_WINDOW, c.approvalWindow());
        assertEquals(Duration.ofMinutes(30), c.approvalWindow(), "the issue's default window");
        assertTrue(c.deniedPorts().contains(25), "never an SMTP relay");
        assertFalse(c.destinations().allowPrivate());
        assertFalse(c.requireAuth());
        assertTrue(c.isAnonymousClient(InetAddress.getLoopbackAddress()));
        assertFalse(c.websocketAllowed("example.com"), "WebSocket refused by default");
        // Limits that relate to each other.
        assertTrue(HttpProxyLimits.MAX_REQUEST_LINE < HttpProxyLimits.MAX_HEAD_BYTES);
        assertTrue(HttpProxyLimits.MAX_BODY_BYTES >= 1_000_000_000L, "a 1 GB upload fits");
        assertTrue(HttpProxyLimits.MAX_CONNECTIONS >= 1_000, "1 000 concurrent clients fit");
        assertTrue(HttpProxyLimits.MIN_BODY_BYTES_PER_SECOND * HttpProxyLimits.BODY_RATE_WINDOW.toSeconds() > 0);
    }

    @Test
    void invalidValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HttpProxyConfig.builder().maxBodyBytes(0));
        assertThrows(IllegalArgumentException.class, () -> HttpProxyConfig.builder().headDeadline(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> HttpProxyConfig.builder().minBodyRate(1, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> HttpProxyConfig.builder().maxRequestLine(100).maxHeadBytes(50).build());
        assertThrows(IllegalArgumentException.class, () -> HttpProxyConfig.builder().websocketHost("a*.example.com"));
        HttpProxyConfig c = HttpProxyConfig.builder().websocketHost("*.chat.example").websocketHost("ws.example").build();
        assertTrue(c.websocketAllowed("a.chat.example"));
        assertTrue(c.websocketAllowed("WS.example"));
        assertFalse(c.websocketAllowed("chat.example.evil"));
    }

    @Test
    void theHttpSectionOfGatewayYamlAndTheFlags(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, String.join("\n", "http:", "  listen: 0.0.0.0:8080", "  allow_private_destinations: true",
                "  upstream_trust: extra-ca.pem", "  require_auth: true", "  anonymous_networks: [10.0.0.0/8]",
                "  client_users:", "    - {network: 10.1.2.3, user: scanner}", "  websocket_hosts: ['*.chat.example']",
                "  contact: 情報セキュリティ担当 security@example.co.jp", "  max_body_size: 1048576", "  head_deadline: 5s",
                "  memory_body_size: 65536", "  memory_bodies_size: 1048576",
                "  approval_window: 10m", "smtp:", "  client_users:", "    - {network: 10.9.9.9, user: printer}", ""));
        GatewayConfig config = GatewayConfigLoader.load(yaml, GatewayConfig.builder()).build();
        HttpProxySettings s = config.http();
        assertTrue(s.enabled());
        assertEquals("0.0.0.0", s.listenHost());
        assertEquals(8080, s.listenPort());
        assertEquals(dir.resolve("extra-ca.pem"), s.upstreamTrust());
        HttpProxyConfig c = s.applyTo(HttpProxyConfig.builder()).build();
        assertTrue(c.destinations().allowPrivate());
        assertTrue(c.requireAuth());
        assertEquals(1, c.anonymousNetworks().size());
        assertEquals("scanner", c.clientUsers().get(0).user());
        assertEquals(1, c.clientUsers().size(), "SMTP's mappings stay SMTP's");
        assertTrue(c.websocketAllowed("x.chat.example"));
        assertEquals(1_048_576, c.maxBodyBytes());
        assertEquals(65_536, c.memoryBodyBytes());
        assertEquals(1_048_576, c.memoryBodiesBytes());
        assertEquals(Duration.ofSeconds(5), c.headDeadline());
        assertEquals(Duration.ofMinutes(10), c.approvalWindow());
        assertTrue(c.contact().startsWith("情報セキュリティ担当"));

        Files.writeString(yaml, "http:\n  max_body: 5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("http.max_body: unknown setting"), e.getMessage());

        Files.writeString(yaml, "http:\n  memory_bodies_size: 0\n");
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("memory_bodies_size"), e.getMessage());
        assertEquals(HttpProxyLimits.MEMORY_BODY_BYTES,
                HttpProxyConfig.builder().build().memoryBodyBytes(), "the default");

        Files.writeString(yaml, "http:\n  enabled: false\n");
        assertFalse(GatewayConfigLoader.load(yaml, GatewayConfig.builder()).build().http().enabled());
        assertNull(GatewayConfig.defaults().http().upstreamTrust());
        assertEquals(HttpProxySettings.DEFAULT_LISTEN, GatewayConfig.defaults().http().listen());
    }

    @Test
    void serveFlagsOverrideTheFile(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, "http:\n  listen: 0.0.0.0:8080\n");
        jp.mynaguard.proxy.cli.ServeCommandAccess serve = new jp.mynaguard.proxy.cli.ServeCommandAccess(yaml,
                "127.0.0.1:3129", true, dir.resolve("ca.pem"));
        GatewayConfig c = serve.config();
        assertEquals(3129, c.http().listenPort());
        assertTrue(c.http().allowPrivateDestinations());
        assertEquals(dir.resolve("ca.pem"), c.http().upstreamTrust());
        assertEquals(List.of(), c.http().settings());
    }
}
