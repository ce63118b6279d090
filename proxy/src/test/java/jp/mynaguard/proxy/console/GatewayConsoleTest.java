package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.GatewayConfigLoader;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as {@code mynaguard serve} starts it: from gateway.yaml's {@code console:}, with the
 * real outbox and hold store, HTTPS with a certificate from the local CA when bound beyond
 * loopback, the Secure {@code __Host-} session cookie and HSTS there; plain HTTP on loopback.
 */
class GatewayConsoleTest {
    @TempDir
    Path dir;
    /** The production components: the outbox, the SQLite hold store, the real approval workflow. */
    private final GatewayComponents.Factory components = GatewayComponents.DEFAULT;

    private GatewayConfig config(String console) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        try (InputStream in = getClass().getResourceAsStream("/smtp/policy.yaml")) {
            Files.copy(in, policy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        SmtpUsers.write(dir.resolve("users"), List.of(new SmtpUser("boss", PasswordHash.create("pw".toCharArray(), 1000),
                List.of("boss@example.co.jp"), Set.of(Role.ADMIN), null, List.of())));
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, "data: data\npolicy: policy.yaml\nsmtp:\n  listen: 127.0.0.1:0\n  users_file: users\n"
                + console + (console.contains("ops:") ? "" : "ops:\n  listen: 127.0.0.1:0\n") + "http:\n  enabled: false\n");
        return GatewayConfigLoader.load(yaml, GatewayConfig.builder()).build();
    }

    @Test
    void beyondLoopbackTheConsoleSpeaksHttpsWithTheLocalCasCertificate() throws Exception {
        try (Gateway g = Gateway.start(config("console:\n  listen: 0.0.0.0:0\n"), components)) {
            assertTrue(g.consoleUrl().startsWith("https://"), g.consoleUrl());
            String url = "https://127.0.0.1:" + URI.create(g.consoleUrl()).getPort();
            HttpClient client = HttpClient.newBuilder().sslContext(trust(dir.resolve("data/ca/ca.pem")))
                    .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(url + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode());
            assertEquals("max-age=31536000", login.headers().firstValue("Strict-Transport-Security").orElseThrow());
            assertTrue(login.headers().allValues("Set-Cookie").stream().allMatch(c -> c.endsWith("; Secure")));
            String token = login.body().replaceAll("(?s).*name=\"login_token\" value=\"([^\"]+)\".*", "$1");
            HttpResponse<String> in = client.send(HttpRequest.newBuilder(URI.create(url + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(HttpSession.encode(Map.of("login_token", token,
                            "username", "boss", "password", "pw")))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, in.statusCode(), in.body());
            String session = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("__Host-"))
                    .findFirst().orElseThrow();
            assertTrue(session.contains("; Path=/") && session.contains("; HttpOnly") && session.contains("; Secure")
                    && session.contains("SameSite=Strict") && !session.contains("Domain"), session);
            HttpResponse<String> admin = client.send(HttpRequest.newBuilder(URI.create(url + "/admin/policy")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, admin.statusCode());
            assertTrue(admin.body().contains(g.policyVersion()), "the running gateway's policy version");
        }
    }

    @Test
    void onLoopbackItIsPlainHttpAndOffMeansNoListener() throws Exception {
        try (Gateway g = Gateway.start(config("console:\n  listen: 127.0.0.1:0\n"), components)) {
            assertTrue(g.consoleUrl().startsWith("http://127.0.0.1:"), g.consoleUrl());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.consoleUrl()
                    + "/login")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Strict-Transport-Security").isEmpty());
        }
        try (Gateway g = Gateway.start(config("console: false\n"), components)) {
            assertNull(g.consoleUrl());
        }
    }

    @Test
    void theConsoleAlsoServesMetricsAndHealthWithoutALoginAndNoOtherListenerIsOpened() throws Exception {
        try (Gateway g = Gateway.start(config("console:\n  listen: 127.0.0.1:0\nops:\n  listen: 127.0.0.1:0\n"),
                components)) {
            assertNull(g.opsAddress(), "the ops paths are on the console's address");
            HttpClient c = HttpClient.newHttpClient();
            HttpResponse<String> health = c.send(HttpRequest.newBuilder(URI.create(g.consoleUrl() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> metrics = c.send(HttpRequest.newBuilder(URI.create(g.consoleUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("mynaguard_connections_total{listener=\"console\""), metrics.body());
            assertEquals("DENY", metrics.headers().firstValue("X-Frame-Options").orElseThrow(),
                    "the console's headers on the mounted paths too");
            HttpResponse<String> page = c.send(HttpRequest.newBuilder(URI.create(g.consoleUrl() + "/my")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, page.statusCode(), "console pages still need a login");
        }
        try (Gateway g = Gateway.start(config("console: false\nops:\n  listen: 127.0.0.1:0\n"), components)) {
            assertTrue(g.opsAddress() != null, "without the console the ops paths get their own listener");
        }
        try (Gateway g = Gateway.start(config("console:\n  listen: 127.0.0.1:0\nops:\n  listen: 127.0.0.1:8025\n"),
                components)) {
            assertNull(g.opsAddress(), "ops.listen at its default follows the console");
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.consoleUrl()
                    + "/readyz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aTakenPortLeavesTheConsoleOffButTheGatewayHoldingMail() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            GatewayConfig c = config("console:\n  listen: 127.0.0.1:" + taken.getLocalPort() + "\n");
            try (Gateway g = Gateway.start(c, components)) {
                assertNull(g.consoleUrl());
                assertTrue(g.smtpAddress().getPort() > 0, "SMTP runs");
                assertTrue(g.opsAddress() != null, "and the ops paths found a listener of their own");
            }
        }
    }

    private static SSLContext trust(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
