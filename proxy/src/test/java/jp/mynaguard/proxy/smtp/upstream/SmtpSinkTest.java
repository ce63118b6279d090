package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.Relay;
import jp.mynaguard.proxy.smtp.RelayResult;

/** {@link SmtpUpstream} against a real SMTP server: Postfix's smtp-sink (skipped when not installed). */
class SmtpSinkTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsSmtpSink() {
        assumeTrue(SmtpSink.available(), "postfix's smtp-sink is not installed (run-tests.sh installs it)");
    }

    private static UpstreamConfig.Builder config(SmtpSink sink) {
        return UpstreamConfig.builder("127.0.0.1", sink.port).tls(TlsMode.NONE).ehloName("gateway.test");
    }

    private static RelayResult send(SmtpUpstream u, List<String> rcpts, InputSource content) throws Exception {
        return Relay.send(u, "sender@example.jp", rcpts, content).get(30, TimeUnit.SECONDS);
    }

    private static String lf(String crlf) {
        return crlf.replace("\r\n", "\n");
    }

    @Test
    void deliversByteIdenticalWithDotLines() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir); SmtpUpstream u = new SmtpUpstream(config(sink).build())) {
            byte[] bytes = SmtpUpstreamTest.MESSAGE.getBytes(StandardCharsets.UTF_8);
            RelayResult r = send(u, List.of("a@example.com", "b@example.com"), InputSource.of(bytes));
            assertEquals(250, r.finalReply().code(), r.finalReply().toString());
            String capture = sink.captures(1).get(0);
            assertTrue(capture.contains("X-Helo-Args: gateway.test\n"), capture);
            assertTrue(capture.contains("X-Mail-Args: <sender@example.jp>\n"), capture);
            assertTrue(capture.contains("X-Rcpt-Args: <a@example.com>\nX-Rcpt-Args: <b@example.com>\n"), capture);
            // smtp-sink stores lines with LF and un-stuffs the dots: what is left must be our input.
            assertEquals(lf(SmtpUpstreamTest.MESSAGE), SmtpSink.message(capture));
        }
    }

    @Test
    void largeSpooledMessage() throws Exception {
        StringBuilder sb = new StringBuilder("Subject: large\r\n\r\n");
        for (int i = 0; sb.length() < 2_000_000; i++) {
            sb.append(i % 5 == 0 ? ".." : "").append("行 ").append(i).append(" ").append("x".repeat(i % 80)).append("\r\n");
        }
        String text = sb.toString();
        try (SmtpSink sink = SmtpSink.start(dir); SmtpUpstream u = new SmtpUpstream(config(sink).build());
             InputSource spooled = InputSource.spool(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                     64 * 1024, Long.MAX_VALUE)) {
            assertEquals(250, send(u, List.of("a@example.com"), spooled).finalReply().code());
            assertEquals(lf(text), SmtpSink.message(sink.captures(1).get(0)));
        }
    }

    @Test
    void oneSessionCarriesSeveralMessages() throws Exception {
        // -n 2: smtp-sink exits after two sessions, so a third connection would be refused.
        try (SmtpSink sink = SmtpSink.start(dir, "-n", "2");
             SmtpUpstream u = new SmtpUpstream(config(sink).idleTimeout(Duration.ofSeconds(30)).build())) {
            // SmtpSink.start's readiness probe was session one; all three messages must share session two.
            for (int i = 0; i < 3; i++) {
                String msg = "Subject: " + i + "\r\n\r\nbody " + i + "\r\n";
                RelayResult r = send(u, List.of("a@example.com"), InputSource.of(msg.getBytes(StandardCharsets.US_ASCII)));
                assertEquals(250, r.finalReply().code(), r.finalReply().toString());
            }
            assertEquals(3, sink.captures(3).size());
            assertEquals(1, u.idleConnections());
            assertTrue(sink.alive());
        }
    }

    @Test
    void authPlain() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir);
             SmtpUpstream u = new SmtpUpstream(config(sink).auth("relay", "s3cret").allowPlaintextAuth(true).build())) {
            RelayResult r = send(u, List.of("a@example.com"), InputSource.of("Subject: a\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(250, r.finalReply().code(), r.finalReply().toString());
        }
    }

    @Test
    void softRejectedRecipientsAreDeferred() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, "-r", "RCPT"); SmtpUpstream u = new SmtpUpstream(config(sink).build())) {
            RelayResult r = send(u, List.of("a@example.com"), InputSource.of("Subject: a\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(450, r.finalReply().code(), r.finalReply().toString());
            assertEquals(List.of("a@example.com"), r.deferred());
        }
    }

    @Test
    void hardRejectedDataIsAPermanentFailure() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, "-f", "."); SmtpUpstream u = new SmtpUpstream(config(sink).build())) {
            RelayResult r = send(u, List.of("a@example.com"), InputSource.of("Subject: a\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(500, r.finalReply().code(), r.finalReply().toString());
            assertEquals(List.of("a@example.com"), r.failed());
        }
    }
}
