package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.Relay;
import jp.mynaguard.proxy.smtp.RelayResult;
import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.UpstreamCapabilities;
import jp.mynaguard.proxy.smtp.UpstreamTransaction;

/** {@link SmtpUpstream} against {@link ScriptedSmtpServer}: protocol, failures, TLS, AUTH, pooling. */
class SmtpUpstreamTest {
    static final String MESSAGE = "From: sender@example.jp\r\nTo: a@example.com\r\nSubject: test\r\n\r\n"
            + ".leading dot\r\n..two dots\r\n.\r\nお知らせ: 来週の会議\r\nlast line\r\n";

    @TempDir
    Path tmp;
    ScriptedSmtpServer server;
    SmtpUpstream upstream;

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

    private SmtpUpstream upstream(Consumer<UpstreamConfig.Builder> settings) {
        UpstreamConfig.Builder b = UpstreamConfig.builder("127.0.0.1", server.port())
                .tls(TlsMode.NONE)
                .ehloName("gateway.test")
                .commandTimeout(Duration.ofSeconds(5));
        settings.accept(b);
        upstream = new SmtpUpstream(b.build());
        return upstream;
    }

    private static RelayResult send(SmtpUpstream u, List<String> rcpts, String message) throws Exception {
        return Relay.send(u, "sender@example.jp", rcpts, InputSource.of(message.getBytes(StandardCharsets.UTF_8)))
                .get(20, TimeUnit.SECONDS);
    }

    private static void assertReply(int code, String enhanced, SmtpReply reply) {
        assertEquals(code, reply.code(), reply.toString());
        assertEquals(enhanced, reply.enhanced(), reply.toString());
    }

    /** Every CR is followed by LF and every LF preceded by CR. */
    static void assertCrlfOnly(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r') {
                assertTrue(i + 1 < bytes.length && bytes[i + 1] == '\n', "bare CR at " + i);
            }
            if (bytes[i] == '\n') {
                assertTrue(i > 0 && bytes[i - 1] == '\r', "bare LF at " + i);
            }
        }
    }

    @Test
    void deliversByteIdenticalDotStuffedCrlfOnly() throws Exception {
        RelayResult r = send(upstream(b -> { }), List.of("a@example.com", "b@example.com"), MESSAGE);
        assertReply(250, "2.0.0", r.finalReply());
        assertEquals(List.of("a@example.com", "b@example.com"), r.delivered());
        assertEquals(List.of("EHLO gateway.test", "MAIL FROM:<sender@example.jp>", "RCPT TO:<a@example.com>",
                "RCPT TO:<b@example.com>", "DATA"), server.commands);
        assertArrayEquals(MESSAGE.getBytes(StandardCharsets.UTF_8), server.messages.get(0));
        String wire = new String(server.dataWire.get(0), StandardCharsets.UTF_8);
        assertTrue(wire.contains("\r\n..leading dot\r\n...two dots\r\n..\r\n"), wire);
        assertCrlfOnly(server.received());
    }

    @Test
    void bareLineEndsInContentGoOutAsCrlf() throws Exception {
        send(upstream(b -> { }), List.of("a@example.com"), "Subject: x\n\nline one\n.\nline three\r");
        assertArrayEquals("Subject: x\r\n\r\nline one\r\n.\r\nline three\r\n".getBytes(StandardCharsets.US_ASCII),
                server.messages.get(0));
        assertCrlfOnly(server.received());
    }

    @Test
    void spooledLargeMessageArrivesIdentical() throws Exception {
        StringBuilder sb = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; sb.length() < 3_000_000; i++) {
            sb.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" 日本語テキスト\r\n");
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (InputSource spooled = InputSource.spool(new ByteArrayInputStream(bytes), 64 * 1024, Long.MAX_VALUE)) {
            assertFalse(spooled.inMemory());
            RelayResult r = Relay.send(upstream(b -> { }), "s@example.jp", List.of("a@example.com"), spooled)
                    .get(30, TimeUnit.SECONDS);
            assertReply(250, "2.0.0", r.finalReply());
        }
        assertArrayEquals(bytes, server.messages.get(0));
    }

    @Test
    void unreadableContentNeverEndsDataWithADot() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("gone.eml"), MESSAGE);
        InputSource content = InputSource.ofFile(file);
        java.nio.file.Files.delete(file);
        RelayResult r = Relay.send(upstream(b -> { }), "s@example.jp", List.of("a@example.com"), content)
                .get(10, TimeUnit.SECONDS);
        assertReply(451, "4.3.0", r.finalReply());
        assertEquals(1, server.count("DATA"));
        assertTrue(server.messages.isEmpty(), "the smarthost must not get a (truncated) message");
    }

    @Test
    void perRecipientRefusal() throws Exception {
        server.replies = line -> line.equals("RCPT TO:<nobody@example.com>") ? "550 5.1.1 no such user" : null;
        RelayResult r = send(upstream(b -> { }), List.of("a@example.com", "nobody@example.com"), MESSAGE);
        assertReply(550, "5.1.1", r.recipientReplies().get("nobody@example.com"));
        assertReply(550, "5.1.1", r.outcome("nobody@example.com"));
        assertReply(250, "2.0.0", r.outcome("a@example.com"));
        assertEquals(List.of("a@example.com"), r.delivered());
        assertEquals(List.of("nobody@example.com"), r.failed());
        assertEquals(1, server.messages.size());
    }

    @Test
    void transientFailureOnMail() throws Exception {
        server.replies = line -> line.startsWith("MAIL") ? "451 4.3.0 try later" : null;
        RelayResult r = send(upstream(b -> { }), List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.3.0", r.finalReply());
        assertEquals(0, server.count("RCPT"));
        assertEquals(0, server.count("DATA"));
    }

    @Test
    void transientFailureOnEveryRcptSendsNoData() throws Exception {
        server.replies = line -> line.startsWith("RCPT") ? "452 4.2.2 mailbox full" : null;
        RelayResult r = send(upstream(b -> { }), List.of("a@example.com", "b@example.com"), MESSAGE);
        assertReply(452, "4.2.2", r.finalReply());
        assertEquals(List.of("a@example.com", "b@example.com"), r.deferred());
        assertEquals(0, server.count("DATA"));
    }

    @Test
    void transientFailureOnDataCommandThenConnectionIsReused() throws Exception {
        server.replies = line -> line.equals("DATA") ? "451 4.3.0 not now" : null;
        SmtpUpstream u = upstream(b -> { });
        assertReply(451, "4.3.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        server.replies = line -> null;
        assertReply(250, "2.0.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        assertEquals(1, server.connections.get());
        assertEquals(1, server.count("RSET"));
    }

    @Test
    void failureAfterTheDot() throws Exception {
        server.replies = line -> line.equals(".") ? "451 4.7.1 content scan unavailable" : null;
        RelayResult r = send(upstream(b -> { }), List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.7.1", r.finalReply());
        assertEquals(List.of("a@example.com"), r.deferred());
        server.replies = line -> line.equals(".") ? "554 5.6.0 rejected" : null;
        assertReply(554, "5.6.0", send(upstream, List.of("a@example.com"), MESSAGE).outcome("a@example.com"));
    }

    @Test
    void upstreamDownIs451() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        upstream = new SmtpUpstream(UpstreamConfig.builder("127.0.0.1", closedPort).tls(TlsMode.NONE).build());
        UpstreamTransaction tx = upstream.begin("s@example.jp", Map.of()).get(10, TimeUnit.SECONDS);
        assertReply(451, "4.4.1", tx.mailReply());
        assertReply(451, "4.4.1", tx.rcpt("a@example.com").get());
        assertReply(451, "4.4.1", tx.data(InputSource.of(new byte[0])).get());
    }

    @Test
    void silentGreetingTimesOut() throws Exception {
        server.greeting = ScriptedSmtpServer.SILENCE;
        long t0 = System.nanoTime();
        UpstreamTransaction tx = upstream(b -> b.commandTimeout(Duration.ofMillis(500)))
                .begin("s@example.jp", Map.of()).get(10, TimeUnit.SECONDS);
        assertReply(451, "4.4.2", tx.mailReply());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void silenceAfterRcptTimesOutAndTheConnectionIsDropped() throws Exception {
        server.replies = line -> line.startsWith("RCPT") ? ScriptedSmtpServer.SILENCE : null;
        RelayResult r = send(upstream(b -> b.commandTimeout(Duration.ofMillis(500))), List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.4.2", r.recipientReplies().get("a@example.com"));
        assertReply(451, "4.4.2", r.finalReply());
        assertEquals(0, server.count("DATA"));
        assertEquals(0, upstream.idleConnections());
    }

    @Test
    void silenceAfterTheDotTimesOut() throws Exception {
        server.replies = line -> line.equals(".") ? ScriptedSmtpServer.SILENCE : null;
        RelayResult r = send(upstream(b -> b.dataTimeout(Duration.ofMillis(500))), List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.4.2", r.finalReply());
        assertEquals(0, upstream.idleConnections(), "a timed-out connection is never pooled");
    }

    @Test
    void requiredTlsNotOfferedIsAFailureNotADowngrade() throws Exception {
        RelayResult r = send(upstream(b -> b.tls(TlsMode.REQUIRED)), List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.7.0", r.finalReply());
        assertEquals(0, server.count("MAIL"));
        assertEquals(0, server.count("RCPT"));
        assertTrue(server.messages.isEmpty());
    }

    @Test
    void opportunisticTlsNotOfferedGoesPlain() throws Exception {
        RelayResult r = send(upstream(b -> b.tls(TlsMode.OPPORTUNISTIC)), List.of("a@example.com"), MESSAGE);
        assertReply(250, "2.0.0", r.finalReply());
        assertEquals(0, server.count("STARTTLS"));
    }

    @Test
    void bytesInjectedAfterStartTls220AreAnError() throws Exception {
        TestTls tls = TestTls.create("smarthost");
        server.tls = tls.serverContext();
        server.ehloKeywords = List.of("PIPELINING", "STARTTLS");
        server.injectAfterStartTls = "250-injected\r\n250 AUTH PLAIN\r\n";
        Path pem = tls.writePem(tmp);
        RelayResult r = send(upstream(b -> b.tls(TlsMode.REQUIRED).trustFile(pem)), List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.5.0", r.finalReply());
        assertEquals(List.of("EHLO gateway.test", "STARTTLS"), server.commands);
    }

    @Test
    void startTlsThenNewEhloThenAuthPlain() throws Exception {
        TestTls tls = TestTls.create("smarthost");
        server.tls = tls.serverContext();
        server.ehloKeywords = List.of("PIPELINING", "STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME");
        Path pem = tls.writePem(tmp);
        RelayResult r = send(upstream(b -> b.tls(TlsMode.REQUIRED).trustFile(pem).auth("relay", "s3cret")),
                List.of("a@example.com"), MESSAGE);
        assertReply(250, "2.0.0", r.finalReply());
        String plain = Base64.getEncoder().encodeToString("\0relay\0s3cret".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("EHLO gateway.test", "STARTTLS", "EHLO gateway.test", "AUTH PLAIN " + plain,
                "MAIL FROM:<sender@example.jp>", "RCPT TO:<a@example.com>", "DATA"), server.commands);
        assertArrayEquals(MESSAGE.getBytes(StandardCharsets.UTF_8), server.messages.get(0));
    }

    @Test
    void untrustedCertificateIsAFailure() throws Exception {
        TestTls tls = TestTls.create("smarthost");
        server.tls = tls.serverContext();
        server.ehloKeywords = List.of("STARTTLS");
        Path otherPem = TestTls.create("someone else").writePem(tmp);
        RelayResult r = send(upstream(b -> b.tls(TlsMode.OPPORTUNISTIC).trustFile(otherPem)), List.of("a@example.com"),
                MESSAGE);
        assertReply(451, "4.7.0", r.finalReply());
        assertEquals(0, server.count("MAIL"));
    }

    @Test
    void authLoginWhenPlainIsNotOffered() throws Exception {
        server.ehloKeywords = List.of("AUTH LOGIN");
        RelayResult r = send(upstream(b -> b.auth("relay", "s3cret").allowPlaintextAuth(true)),
                List.of("a@example.com"), MESSAGE);
        assertReply(250, "2.0.0", r.finalReply());
        Base64.Encoder enc = Base64.getEncoder();
        assertEquals(List.of("EHLO gateway.test", "AUTH LOGIN",
                enc.encodeToString("relay".getBytes(StandardCharsets.UTF_8)),
                enc.encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)),
                "MAIL FROM:<sender@example.jp>"), server.commands.subList(0, 5));
    }

    @Test
    void refusedCredentialsAre451() throws Exception {
        server.ehloKeywords = List.of("AUTH PLAIN");
        server.acceptAuth = false;
        RelayResult r = send(upstream(b -> b.auth("relay", "wrong").allowPlaintextAuth(true)),
                List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.7.0", r.finalReply());
        assertEquals(0, server.count("MAIL"));
    }

    @Test
    void noPasswordOverPlaintextUnlessAllowed() throws Exception {
        server.ehloKeywords = List.of("AUTH PLAIN");
        RelayResult r = send(upstream(b -> b.tls(TlsMode.OPPORTUNISTIC).auth("relay", "s3cret")),
                List.of("a@example.com"), MESSAGE);
        assertReply(451, "4.7.0", r.finalReply());
        assertEquals(0, server.count("AUTH"));
    }

    @Test
    void connectionsArePooledAndExpireWhenIdle() throws Exception {
        SmtpUpstream u = upstream(b -> b.idleTimeout(Duration.ofMillis(400)));
        for (int i = 0; i < 3; i++) {
            assertReply(250, "2.0.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        }
        assertEquals(1, server.connections.get());
        assertEquals(1, server.count("EHLO"));
        assertEquals(1, u.idleConnections());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.count("QUIT") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, server.count("QUIT"), "the idle connection was closed politely");
        assertEquals(0, u.idleConnections());
        assertReply(250, "2.0.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        assertEquals(2, server.connections.get());
    }

    @Test
    void pooledConnectionAnswering421IsReplaced() throws Exception {
        SmtpUpstream u = upstream(b -> { });
        assertReply(250, "2.0.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        // The smarthost ends the idle session when we next use it, as after its own idle timeout.
        server.replies = line -> line.startsWith("MAIL") && server.connections.get() == 1 ? "421 4.4.2 idle timeout" : null;
        assertReply(250, "2.0.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        assertEquals(2, server.messages.size());
        assertEquals(2, server.connections.get());
    }

    @Test
    void pooledConnectionDroppedSilentlyIsReplaced() throws Exception {
        SmtpUpstream u = upstream(b -> { });
        assertReply(250, "2.0.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        server.dropConnections();
        // Whether or not the pool noticed the close yet, the message goes out on a new connection.
        assertReply(250, "2.0.0", send(u, List.of("a@example.com"), MESSAGE).finalReply());
        assertEquals(2, server.messages.size());
    }

    @Test
    void mailParametersOnlyWhenAnnounced() throws Exception {
        server.ehloKeywords = List.of("SIZE 1000000", "8BITMIME");
        UpstreamTransaction tx = upstream(b -> { }).begin("s@example.jp",
                Map.of("SIZE", "1234", "BODY", "8BITMIME", "XFOO", "bar")).get(10, TimeUnit.SECONDS);
        assertReply(250, "2.1.0", tx.mailReply());
        tx.abort();
        assertTrue(server.commands.contains("MAIL FROM:<s@example.jp> BODY=8BITMIME SIZE=1234"), server.commands.toString());
        UpstreamTransaction utf8 = upstream.begin("s@example.jp", Map.of("SMTPUTF8", "")).get(10, TimeUnit.SECONDS);
        assertReply(553, "5.6.7", utf8.mailReply());
    }

    @Test
    void probeLearnsCapabilities() throws Exception {
        server.ehloKeywords = List.of("SIZE 2000000", "8BITMIME", "SMTPUTF8");
        SmtpUpstream u = upstream(b -> { });
        assertEquals(SmtpUpstream.UNKNOWN, u.capabilities());
        assertEquals(new UpstreamCapabilities(2_000_000, true, true), u.probe().get(10, TimeUnit.SECONDS));
        assertEquals(1, u.idleConnections());
    }

    @Test
    void addressesCannotInjectCommands() throws Exception {
        UpstreamTransaction tx = upstream(b -> { }).begin("s@example.jp", Map.of()).get(10, TimeUnit.SECONDS);
        assertReply(501, "5.1.3", tx.rcpt("a@example.com>\r\nRSET").get());
        assertReply(501, "5.1.3", tx.rcpt("a@example.com> NOTIFY=NEVER").get());
        tx.abort();
        UpstreamTransaction bad = upstream.begin("s@example.jp>\r\nDATA", Map.of()).get(10, TimeUnit.SECONDS);
        assertReply(501, "5.1.7", bad.mailReply());
        assertEquals(0, server.count("RCPT"));
        assertEquals(0, server.count("DATA"));
    }

    @Test
    void closedUpstreamAnswers451() throws Exception {
        SmtpUpstream u = upstream(b -> { });
        u.close();
        assertReply(451, "4.3.2", u.begin("s@example.jp", Map.of()).get(5, TimeUnit.SECONDS).mailReply());
    }
}
