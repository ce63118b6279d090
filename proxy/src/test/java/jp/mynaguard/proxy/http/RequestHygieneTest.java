package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The smuggling matrix and the other hygiene rules on real sockets: every ambiguous framing is
 * refused with 400 (or 501) and the connection closed, and nothing reaches the origin. Slow heads
 * are cut off, oversized bodies get 413, Expect: 100-continue is answered by the proxy.
 */
class RequestHygieneTest {
    private static ProxyHarness h;
    private static String origin;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness("corpus-policy.yaml", b -> b.headDeadline(Duration.ofSeconds(2)).maxBodyBytes(64 * 1024));
        origin = "http://127.0.0.1:" + h.origin.getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    private static void refused(String request, int status) throws Exception {
        int before = h.originBodies().size();
        try (RawHttp c = new RawHttp(h.port())) {
            RawHttp.Response r = c.send(request).read();
            assertEquals(status, r.status(), request);
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByPeer(5000), "connection closed after the refusal");
        }
        assertEquals(before, h.originBodies().size(), "nothing reached the origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void transferEncodingWithContentLengthIsRefused(String version) throws Exception {
        refused("POST " + origin + "/x " + version + "\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", 400);
    }

    @Test
    void transferEncodingInHttp10IsRefused() throws Exception {
        refused("POST " + origin + "/x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked, gzip", "gzip, chunked", "chunked, chunked", "xchunked", "chunked\r\nTransfer-Encoding: chunked"})
    void transferEncodingOtherThanExactlyChunkedIsRefused(String te) throws Exception {
        refused("POST " + origin + "/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + te + "\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void unknownSingleTransferCodingIs501() throws Exception {
        refused("POST " + origin + "/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 3\r\nContent-Length: 3", "Content-Length: 3\r\nContent-Length: 4",
        "Content-Length: 3, 3", "Content-Length: +3", "Content-Length: 0x3"})
    void duplicateOrInvalidContentLengthIsRefused(String cl) throws Exception {
        refused("POST " + origin + "/x HTTP/1.1\r\nHost: a\r\n" + cl + "\r\n\r\nabc", 400);
    }

    @Test
    void loneLfInAChunkLineIsRefused() throws Exception {
        refused("POST " + origin + "/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400);
    }

    @Test
    void loneLfAfterChunkDataIsRefused() throws Exception {
        refused("POST " + origin + "/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n", 400);
    }

    @Test
    void loneLfInAHeaderLineIsRefused() throws Exception {
        refused("GET " + origin + "/x HTTP/1.1\r\nHost: a\nX-Other: b\r\n\r\n", 400);
    }

    @Test
    void obsFoldIsRefused() throws Exception {
        refused("GET " + origin + "/x HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", 400);
    }

    @Test
    void spaceBeforeTheColonIsRefused() throws Exception {
        refused("GET " + origin + "/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", 400);
    }

    @Test
    void http2VersionIs505() throws Exception {
        refused("GET " + origin + "/x HTTP/2.0\r\nHost: a\r\n\r\n", 505);
    }

    @Test
    void chunkedUploadIsReframedWithContentLength() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            RawHttp.Response r = c.send("POST " + origin + "/up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: keep-alive, X-Secret\r\nX-Secret: hop\r\nProxy-Connection: keep-alive\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n").read();
            assertEquals(200, r.status());
        }
        org.mockserver.model.HttpRequest got = OriginRecorder.REQUESTS.get(OriginRecorder.REQUESTS.size() - 1);
        assertEquals("hello world", new String(got.getBodyAsRawBytes(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("11", got.getFirstHeader("Content-Length"));
        assertEquals("", got.getFirstHeader("Transfer-Encoding"));
        assertEquals("", got.getFirstHeader("X-Secret"), "a field named in Connection is hop-by-hop");
        assertEquals("", got.getFirstHeader("Proxy-Connection"));
        assertEquals("127.0.0.1:" + h.origin.getPort(), got.getFirstHeader("Host"), "Host from the target, not the client's");
    }

    @Test
    void twoRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            c.send("GET " + origin + "/a HTTP/1.1\r\nHost: a\r\n\r\nPOST " + origin + "/b HTTP/1.1\r\nHost: a\r\n"
                    + "Content-Length: 2\r\n\r\nok");
            assertEquals(200, c.read().status());
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void slowHeadIsCutOff() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            c.send("GET " + origin + "/slow HTTP/1.1\r\n");
            // A byte a second keeps an inactivity timer happy; the head deadline (2 s here) is absolute.
            for (int i = 0; i < 3 && !c.socket.isClosed(); i++) {
                Thread.sleep(900);
                try {
                    c.send("X");
                } catch (java.io.IOException closed) {
                    break;
                }
            }
            RawHttp.Response r = c.read();
            assertEquals(408, r.status());
            assertTrue(c.closedByPeer(5000));
        }
    }

    @Test
    void bodyOverTheLimitIs413BeforeItIsRead() throws Exception {
        refused("POST " + origin + "/big HTTP/1.1\r\nHost: a\r\nContent-Length: " + (64 * 1024 + 1) + "\r\n\r\n", 413);
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            c.send("POST " + origin + "/big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "a".repeat(16 * 1024);
            RawHttp.Response r = null;
            for (int i = 0; i < 5; i++) {
                c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            r = c.read();
            assertEquals(413, r.status());
            assertTrue(r.text().contains("413") || r.text().contains("larger"), r.text());
        }
    }

    @Test
    void expectContinueIsAnsweredByTheProxyAndNotForwarded() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            c.send("POST " + origin + "/e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.read().status(), "100 Continue only after the head was accepted");
            c.send("hello");
            assertEquals(200, c.read().status());
        }
        org.mockserver.model.HttpRequest got = OriginRecorder.REQUESTS.get(OriginRecorder.REQUESTS.size() - 1);
        assertEquals("", got.getFirstHeader("Expect"));
    }

    @Test
    void expectContinueOverTheLimitIs413WithoutAContinue() throws Exception {
        refused("POST " + origin + "/e HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999\r\nExpect: 100-continue\r\n\r\n", 413);
    }

    @Test
    void unknownExpectationIs417() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            assertEquals(417, c.send("GET " + origin + "/e HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n").read().status());
        }
    }

    @Test
    void mailPortsAreNotReachableOverPlainHttp() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            assertEquals(403, c.send("POST http://127.0.0.1:25/ HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").read().status());
        }
    }

    @Test
    void userinfoInTheUrlIsRefused() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            assertEquals(400, c.send("GET http://evil@127.0.0.1:" + h.origin.getPort() + "/ HTTP/1.1\r\nHost: a\r\n\r\n")
                    .read().status());
        }
    }

    @Test
    void originFormOnTheProxyPortIsExplained() throws Exception {
        try (RawHttp c = new RawHttp(h.port())) {
            RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHost: proxy\r\n\r\n").read();
            assertEquals(400, r.status());
            assertTrue(r.text().contains("proxy"), r.text());
        }
    }
}
