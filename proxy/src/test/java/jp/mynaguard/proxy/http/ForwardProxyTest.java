package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jp.mynaguard.proxy.audit.AuditEvent;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Java's HttpClient through the proxy to MockServer: allowed uploads arrive unchanged, a My Number is stopped. */
class ForwardProxyTest {
    private static ProxyHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness("corpus-policy.yaml", b -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    @Test
    void getIsForwardedAndTheResponseStreamsBack() throws Exception {
        HttpResponse<String> r = h.client().send(HttpRequest.newBuilder(URI.create(h.originUrl("/page?q=1"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("origin ok", r.body());
    }

    @Test
    void cleanUploadArrivesByteForByte() throws Exception {
        byte[] body = "{\"order\":\"A-17\",\"note\":\"納品書を送ります\"}".getBytes(StandardCharsets.UTF_8);
        int before = h.originBodies().size();
        HttpResponse<String> r = h.client().send(HttpRequest.newBuilder(URI.create(h.originUrl("/api/orders")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        List<byte[]> bodies = h.originBodies();
        assertEquals(before + 1, bodies.size());
        assertArrayEquals(body, bodies.get(bodies.size() - 1));
    }

    @Test
    void largeBodiesFromMemoryAndFromTheSpoolFileArriveUnchangedOneAfterAnother() throws Exception {
        // Forwarded from memory blocks; and, past the memory cap (1 MB here), from the spool file,
        // which a plain-HTTP origin gets by sendfile. Each upload after the first reuses both
        // connections, so the request framing must have ended cleanly.
        try (ProxyHarness small = new ProxyHarness("corpus-policy.yaml", b -> b.bodyMemory(1 << 20, 64 << 20))) {
            java.util.Random random = new java.util.Random(6);
            ProxyHarness[] through = {h, small, small, h};
            for (int round = 0; round < through.length; round++) {
                byte[] body = new byte[(3 << 20) + round * 4099];
                for (int i = 0; i < body.length; i++) {
                    body[i] = (byte) (i % 101 == 100 ? '\n' : 'a' + random.nextInt(26));
                }
                ProxyHarness p = through[round];
                int before = p.originBodies().size();
                HttpResponse<String> r = p.client().send(HttpRequest.newBuilder(URI.create(p.originUrl("/upload/notes.txt")))
                        .header("Content-Type", "text/plain")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                List<byte[]> bodies = p.originBodies();
                assertEquals(before + 1, bodies.size());
                assertArrayEquals(body, bodies.get(bodies.size() - 1), "round " + round);
            }
        }
    }

    @Test
    void myNumberUploadIsBlockedWithAPageThatHoldsNoDigits() throws Exception {
        byte[] body = CorpusCases.body("http_upload_04_json_body.http");
        int before = h.originBodies().size();
        HttpResponse<String> r = h.client().send(HttpRequest.newBuilder(URI.create(h.originUrl("/api/v1/employees")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("マイナンバー"), r.body());
        assertTrue(r.body().contains("my-number-block"));
        assertTrue(r.body().contains("****-****-****"));
        CorpusCases.assertNoNumberDigits(r.body());
        assertEquals(before, h.originBodies().size(), "nothing reached the origin");
        AuditEvent e = h.audit.stream().filter(a -> "block".equals(a.fields().get("action"))).reduce((a, b) -> b).orElseThrow();
        assertEquals("http", e.fields().get("channel"));
        assertEquals("my-number-block", e.fields().get("rule"));
        CorpusCases.assertNoNumberDigits(e.toString());
    }

    @Test
    void clientsThatAskForJsonGetJson() throws Exception {
        byte[] body = CorpusCases.body("http_upload_04_json_body.http");
        HttpResponse<String> r = h.client().send(HttpRequest.newBuilder(URI.create(h.originUrl("/api/v1/employees")))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertTrue(r.body().contains("\"action\":\"block\""), r.body());
        assertTrue(r.body().contains("\"masked\":\"****-****-****\""), r.body());
        assertFalse(r.body().contains("<html"));
        CorpusCases.assertNoNumberDigits(r.body());
    }
}
