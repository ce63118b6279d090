package jp.mynaguard.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.Channel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ops routes on an EmbeddedChannel, with checks run on the calling thread. */
class OpsHttpHandlerTest {
    private final GatewayMetrics metrics = new GatewayMetrics();
    private volatile boolean policyLoaded = true;
    private volatile boolean storeAnswers = true;
    private final AtomicInteger storePings = new AtomicInteger();

    private final Readiness readiness = new Readiness(List.of(
            Readiness.Check.of("policy", () -> policyLoaded ? Readiness.Result.ok("version abc")
                    : Readiness.Result.failed("no policy loaded")),
            Readiness.Check.of("hold_store", () -> {
                storePings.incrementAndGet();
                if (!storeAnswers) {
                    throw new IOException("database is locked");
                }
                return Readiness.Result.ok("answers");
            })), Runnable::run, Duration.ofSeconds(1), Duration.ZERO);

    private final EmbeddedChannel ch = new EmbeddedChannel(new OpsHttpHandler(metrics, readiness, Runnable::run));

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        metrics.close();
    }

    private FullHttpResponse get(HttpMethod method, String uri) {
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
        ch.runPendingTasks();
        FullHttpResponse r = ch.readOutbound();
        assertTrue(r != null, "a response to " + method + " " + uri);
        return r;
    }

    private static String body(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void healthzAnswersWithoutRunningChecks() {
        FullHttpResponse r = get(HttpMethod.GET, "/healthz");
        assertEquals(200, r.status().code());
        assertEquals("ok\n", body(r));
        assertEquals(0, storePings.get(), "liveness does not touch the store");
    }

    @Test
    void readyzIs200WhenEveryCheckPasses() {
        FullHttpResponse r = get(HttpMethod.GET, "/readyz");
        assertEquals(200, r.status().code());
        assertEquals("ready\npolicy: ok (version abc)\nhold_store: ok (answers)\n", body(r));
    }

    @Test
    void readyzIs503WithoutAPolicy() {
        policyLoaded = false;
        FullHttpResponse r = get(HttpMethod.GET, "/readyz");
        assertEquals(503, r.status().code());
        assertEquals("not ready\npolicy: FAILED (no policy loaded)\nhold_store: ok (answers)\n", body(r));
    }

    @Test
    void readyzIs503WhenTheStoreThrowsAndDoesNotEchoTheException() {
        storeAnswers = false;
        FullHttpResponse r = get(HttpMethod.GET, "/readyz?verbose=1");
        assertEquals(503, r.status().code());
        String text = body(r);
        assertTrue(text.contains("hold_store: FAILED (error)"), text);
        assertFalse(text.contains("locked"), "the exception goes to the log, not to the endpoint: " + text);
    }

    @Test
    void aCheckThatHangsCountsAsFailedAfterItsTimeout() {
        CountDownLatch hung = new CountDownLatch(1);
        Readiness slow = new Readiness(List.of(Readiness.Check.of("upstream", () -> {
            hung.await();
            return Readiness.Result.ok("late");
        })), r -> new Thread(r).start(), Duration.ofMillis(50), Duration.ZERO);
        try {
            Readiness.Report report = slow.check().join();
            assertFalse(report.ready());
            assertEquals("not ready\nupstream: FAILED (timed out after 50 ms)\n", report.text());
        } finally {
            hung.countDown();
        }
    }

    @Test
    void readinessAnswersAreReusedWithinTheCacheWindow() {
        Readiness cached = new Readiness(List.of(Readiness.Check.of("hold_store", () -> {
            storePings.incrementAndGet();
            return Readiness.Result.ok("answers");
        })), Runnable::run, Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertSame(cached.check(), cached.check());
        assertEquals(1, storePings.get());
    }

    @Test
    void metricsIsThePrometheusTextFormat() {
        metrics.decided(Channel.SMTP, Action.BLOCK);
        FullHttpResponse r = get(HttpMethod.GET, "/metrics");
        assertEquals(200, r.status().code());
        assertEquals(OpsHttpHandler.METRICS_CONTENT_TYPE, r.headers().get(HttpHeaderNames.CONTENT_TYPE));
        String text = body(r);
        assertTrue(text.contains("# TYPE mynaguard_decisions_total counter"), text);
        assertTrue(text.contains("mynaguard_decisions_total{action=\"block\",channel=\"smtp\"} 1.0"), text);
    }

    @Test
    void headSendsTheLengthButNoBody() {
        FullHttpResponse r = get(HttpMethod.HEAD, "/healthz");
        assertEquals(200, r.status().code());
        assertEquals("3", r.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals("", body(r));
    }

    @Test
    void otherMethodsAre405() {
        FullHttpResponse r = get(HttpMethod.POST, "/metrics");
        assertEquals(405, r.status().code());
        assertEquals("GET, HEAD", r.headers().get(HttpHeaderNames.ALLOW));
        body(r);
    }

    @Test
    void otherPathsPassOnUntouchedForTheConsole() {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/holds?state=held");
        ch.writeInbound(req);
        FullHttpRequest passed = ch.readInbound();
        assertSame(req, passed);
        assertEquals(1, passed.refCnt(), "not released: the next handler owns it");
        passed.release();
        assertNull(ch.readOutbound());
    }

    @Test
    void connectionCloseIsHonoured() {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz");
        req.headers().set(HttpHeaderNames.CONNECTION, "close");
        ch.writeInbound(req);
        FullHttpResponse r = ch.readOutbound();
        assertEquals("close", r.headers().get(HttpHeaderNames.CONNECTION));
        body(r);
        assertFalse(ch.isOpen());
    }
}
