package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.ops.TlsFailure;
import jp.mynaguard.proxy.smtp.Relay;
import jp.mynaguard.proxy.smtp.UpstreamObserver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the smarthost client tells its observer (metrics and readiness), against a scripted smarthost. */
class UpstreamObserverTest {
    @TempDir
    Path tmp;
    private ScriptedSmtpServer server;
    private SmtpUpstream upstream;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Throwable> tlsFailures = new CopyOnWriteArrayList<>();
    private final UpstreamObserver observer = new UpstreamObserver() {
        @Override
        public void reached() {
            events.add("reached");
        }

        @Override
        public void failed(String kind) {
            events.add("failed:" + kind);
        }

        @Override
        public void tlsHandshakeFailed(Throwable cause) {
            tlsFailures.add(cause);
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedSmtpServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
        server.close();
    }

    private SmtpUpstream upstream(String host, int port, TlsMode tls, Path trust) {
        UpstreamConfig.Builder b = UpstreamConfig.builder(host, port).tls(tls).ehloName("gateway.test")
                .commandTimeout(Duration.ofSeconds(5));
        if (trust != null) {
            b.trustFile(trust);
        }
        upstream = new SmtpUpstream(b.build());
        upstream.observe(observer);
        return upstream;
    }

    private void send() throws Exception {
        Relay.send(upstream, "sender@example.jp", List.of("a@example.com"),
                InputSource.of("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
    }

    @Test
    void aDeliveredMessageIsReachedAndAProbeSucceeds() throws Exception {
        upstream("127.0.0.1", server.port(), TlsMode.NONE, null);
        send();
        assertTrue(events.contains("reached"), events.toString());
        assertTrue(events.stream().noneMatch(e -> e.startsWith("failed")), events.toString());
        assertTrue(upstream.probeReachable().get(10, TimeUnit.SECONDS));
    }

    @Test
    void anUntrustedCertificateIsATlsFailureWithItsReason() throws Exception {
        server.tls = TestTls.create("smarthost").serverContext();
        server.ehloKeywords = List.of("STARTTLS");
        upstream("127.0.0.1", server.port(), TlsMode.REQUIRED, TestTls.create("someone else").writePem(tmp));
        send();
        assertEquals(List.of("failed:tls"), events);
        assertEquals(1, tlsFailures.size());
        assertEquals(TlsFailure.CERTIFICATE, TlsFailure.of(tlsFailures.get(0)), tlsFailures.get(0).toString());
    }

    @Test
    void aSmarthostWithoutStartTlsIsATlsFailureButNoHandshakeFailure() throws Exception {
        server.ehloKeywords = List.of("8BITMIME");
        upstream("127.0.0.1", server.port(), TlsMode.REQUIRED, null);
        send();
        assertEquals(List.of("failed:tls"), events);
        assertEquals(List.of(), tlsFailures);
    }

    @Test
    void nobodyListeningIsUnreachableAndTheProbeSaysSo() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        upstream("127.0.0.1", closed, TlsMode.NONE, null);
        assertFalse(upstream.probeReachable().get(10, TimeUnit.SECONDS));
        assertEquals(List.of("failed:unreachable"), events);
    }
}
