package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.smtp.Cidr;

import org.junit.jupiter.api.Test;

/** Who is uploading: Basic proxy credentials from the users file, mapped client networks, 407 otherwise. */
class ProxyAuthTest {
    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static RawHttp.Response post(ProxyHarness h, String proxyAuthorization) throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            return c.send("POST " + h.originUrl("/form") + " HTTP/1.1\r\nHost: x\r\n"
                    + (proxyAuthorization == null ? "" : "Proxy-Authorization: " + proxyAuthorization + "\r\n")
                    + "Content-Length: 5\r\n\r\nhello").read();
        }
    }

    private static AuditEvent lastDecision(ProxyHarness h) {
        List<AuditEvent> all = List.copyOf(h.audit);
        return all.stream().filter(e -> e.type().equals(AuditEvent.DECISION)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void credentialsAreRequiredWhenConfigured() throws Exception {
        try (ProxyHarness h = new ProxyHarness("corpus-policy.yaml", b -> b.requireAuth(true))) {
            int before = h.originBodies().size();
            RawHttp.Response none = post(h, null);
            assertEquals(407, none.status());
            assertEquals("Basic realm=\"Mynaguard\", charset=\"UTF-8\"", none.header("Proxy-Authenticate"));
            assertEquals(407, post(h, basic("tanaka", "wrong")).status());
            assertEquals(407, post(h, basic("nobody", ProxyHarness.PASSWORD)).status());
            assertEquals(407, post(h, basic("scanner", "!")).status(), "a disabled user cannot log in");
            assertEquals(407, post(h, "Digest username=\"tanaka\"").status());
            assertEquals(before, h.originBodies().size(), "nothing was forwarded without a user");

            RawHttp.Response ok = post(h, basic("tanaka", ProxyHarness.PASSWORD));
            assertEquals(200, ok.status());
            assertEquals("tanaka", lastDecision(h).fields().get("user"));
            assertEquals("tanaka@example.co.jp", lastDecision(h).fields().get("sender"));
            // Remembered (as an HMAC) for the next request: still checked against the same password.
            assertEquals(200, post(h, basic("tanaka", ProxyHarness.PASSWORD)).status());
            assertEquals(407, post(h, basic("tanaka", ProxyHarness.PASSWORD + "x")).status());
        }
    }

    @Test
    void aMappedClientNetworkIsThatUser() throws Exception {
        try (ProxyHarness h = new ProxyHarness("corpus-policy.yaml",
                b -> b.requireAuth(true).clientUser(Cidr.parse("127.0.0.0/8"), "scanner"))) {
            assertEquals(200, post(h, null).status());
            assertEquals("scanner", lastDecision(h).fields().get("user"));
            assertEquals("scanner@example.co.jp", lastDecision(h).fields().get("sender"));
        }
    }

    @Test
    void clientsOutsideTheAnonymousNetworksMustAuthenticate() throws Exception {
        try (ProxyHarness h = new ProxyHarness("corpus-policy.yaml", b -> b.anonymousNetworks(List.of()))) {
            assertEquals(407, post(h, null).status());
        }
        try (ProxyHarness h = new ProxyHarness("corpus-policy.yaml", b -> { })) {
            assertEquals(200, post(h, null).status(), "loopback is anonymous by default");
            assertFalse(lastDecision(h).fields().containsKey("user"));
        }
    }

    @Test
    void javaHttpClientAnswersTheChallenge() throws Exception {
        try (ProxyHarness h = new ProxyHarness("corpus-policy.yaml", b -> b.requireAuth(true))) {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", h.port())))
                    .authenticator(new Authenticator() {
                        @Override
                        protected PasswordAuthentication getPasswordAuthentication() {
                            return getRequestorType() == RequestorType.PROXY
                                    ? new PasswordAuthentication("tanaka", ProxyHarness.PASSWORD.toCharArray()) : null;
                        }
                    }).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(h.originUrl("/form")))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(h.audit.stream().anyMatch(e -> "tanaka".equals(e.fields().get("user"))));
        }
    }
}
