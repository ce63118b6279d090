package jp.mynaguard.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import jp.mynaguard.proxy.ops.GatewayMetrics.Listener;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The typed recording methods: bounded labels, gauges that survive garbage collection. */
class GatewayMetricsTest {
    private final GatewayMetrics metrics = new GatewayMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void tlsFailuresAreClassifiedIntoAFixedSetOfReasons() {
        assertEquals(TlsFailure.NOT_TLS, TlsFailure.of(new NotSslRecordException("not an SSL/TLS record: 4845")));
        assertEquals(TlsFailure.TIMEOUT, TlsFailure.of(new SslHandshakeTimeoutException("handshake timed out after 10000ms")));
        assertEquals(TlsFailure.CLOSED, TlsFailure.of(new ClosedChannelException()));
        assertEquals(TlsFailure.NO_SHARED_CIPHER, TlsFailure.of(new SSLHandshakeException("no cipher suites in common")));
        assertEquals(TlsFailure.PROTOCOL_VERSION, TlsFailure.of(new SSLHandshakeException(
                "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)")));
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertificateException("unable to find valid certification path"));
        assertEquals(TlsFailure.CERTIFICATE, TlsFailure.of(untrusted));
        assertEquals(TlsFailure.CERTIFICATE, TlsFailure.of(new SSLHandshakeException("Received fatal alert: unknown_ca")));
        assertEquals(TlsFailure.OTHER, TlsFailure.of(new SSLHandshakeException("something new")));
        assertEquals(TlsFailure.OTHER, TlsFailure.of(null));

        assertEquals(TlsFailure.NOT_TLS, metrics.tlsHandshakeFailed(Listener.SMTP, new NotSslRecordException("x")));
        assertTrue(metrics.scrape().contains(
                "mynaguard_tls_handshake_failures_total{listener=\"smtp\",reason=\"not_tls\"} 1.0"), metrics.scrape());
    }

    @Test
    void upstreamErrorKindsCannotWidenTheLabelSet() {
        metrics.upstreamError("timeout");
        metrics.upstreamError("something a caller made up");
        String text = metrics.scrape();
        assertTrue(text.contains("mynaguard_upstream_errors_total{kind=\"timeout\"} 1.0"), text);
        assertTrue(text.contains("mynaguard_upstream_errors_total{kind=\"other\"} 1.0"), text);
        assertTrue(text.contains("mynaguard_upstream_errors_total{kind=\"unreachable\"} 0.0"), "registered up front");
        assertFalse(text.contains("made up"));
    }

    @Test
    void theBodyMemoryGaugeShowsWhatIsReservedNow() {
        java.util.concurrent.atomic.AtomicLong used = new java.util.concurrent.atomic.AtomicLong(3 << 20);
        metrics.bodyMemory(used::get, () -> 1 << 20);
        System.gc();
        assertTrue(metrics.scrape().contains("mynaguard_http_body_memory_bytes 3145728.0"), metrics.scrape());
        assertTrue(metrics.scrape().contains("mynaguard_http_body_memory_kept_bytes 1048576.0"), metrics.scrape());
        used.set(0);
        assertTrue(metrics.scrape().contains("mynaguard_http_body_memory_bytes 0.0"), metrics.scrape());
    }

    @Test
    void theConnectionCounterCountsOpenAndTotalAndItsGaugeSurvivesGc() throws Exception {
        io.netty.channel.ChannelHandler counter = metrics.connectionCounter(Listener.HTTP);
        EmbeddedChannel a = new EmbeddedChannel(counter);
        EmbeddedChannel b = new EmbeddedChannel(counter);
        System.gc();
        String text = metrics.scrape();
        assertTrue(text.contains("mynaguard_open_connections{listener=\"http\"} 2.0"), text);
        a.close();
        text = metrics.scrape();
        assertTrue(text.contains("mynaguard_open_connections{listener=\"http\"} 1.0"), text);
        assertTrue(text.contains("mynaguard_connections_total{listener=\"http\"} 2.0"), text);
        b.close();
    }

    @Test
    void releasesAndPolicyReloads() {
        metrics.released();
        metrics.releaseRetried();
        metrics.releaseRetried();
        metrics.releaseBounced();
        metrics.policyActivated("aaaabbbbcccc");
        metrics.policyActivated("ddddeeeeffff");
        metrics.policyRejected();
        String text = metrics.scrape();
        assertTrue(text.contains("mynaguard_releases_total 1.0"), text);
        assertTrue(text.contains("mynaguard_release_retries_total 2.0"), text);
        assertTrue(text.contains("mynaguard_release_bounces_total 1.0"), text);
        assertTrue(text.contains("mynaguard_policy_reloads_total{result=\"accepted\"} 2.0"), text);
        assertTrue(text.contains("mynaguard_policy_reloads_total{result=\"rejected\"} 1.0"), text);
        assertTrue(text.contains("mynaguard_policy_last_reload_success 0.0"), text);
        assertTrue(text.contains("mynaguard_policy_version{version=\"ddddeeeeffff\"} 1.0"), text);
        assertFalse(text.contains("aaaabbbbcccc"), "only the active version is shown");
    }
}
