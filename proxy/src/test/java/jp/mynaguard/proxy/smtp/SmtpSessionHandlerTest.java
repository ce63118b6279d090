package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import jp.mynaguard.policy.extract.InputSource;

import org.junit.jupiter.api.Test;

/** The session pipeline in an {@link EmbeddedChannel}: ordering, backpressure, hand-over at the final dot. */
class SmtpSessionHandlerTest {
    /** An upstream whose RCPT replies the test completes by hand. */
    private static final class ManualUpstream implements Upstream {
        final List<CompletableFuture<SmtpReply>> rcpts = new ArrayList<>();

        @Override
        public CompletableFuture<UpstreamTransaction> begin(String mailFrom, Map<String, String> parameters) {
            return CompletableFuture.completedFuture(new UpstreamTransaction() {
                @Override
                public SmtpReply mailReply() {
                    return SmtpReply.of(250, "2.1.0", "Ok");
                }

                @Override
                public CompletableFuture<SmtpReply> rcpt(String address) {
                    CompletableFuture<SmtpReply> f = new CompletableFuture<>();
                    rcpts.add(f);
                    return f;
                }

                @Override
                public CompletableFuture<SmtpReply> data(InputSource content) {
                    return CompletableFuture.completedFuture(SmtpReply.of(250, "2.0.0", "Ok"));
                }

                @Override
                public void abort() {
                }
            });
        }

        @Override
        public UpstreamCapabilities capabilities() {
            return UpstreamCapabilities.PERMISSIVE;
        }

        @Override
        public void close() {
        }
    }

    /** Records submissions; the test completes their replies. */
    private static final class ManualProcessor implements MessageProcessor {
        final List<Submission> submissions = new ArrayList<>();
        final List<String> contents = new ArrayList<>();
        final List<CompletableFuture<SmtpReply>> replies = new ArrayList<>();

        @Override
        public CompletableFuture<SmtpReply> process(Submission s) {
            submissions.add(s);
            try (InputStream in = s.message().content().openStream()) {
                contents.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            s.message().close();
            CompletableFuture<SmtpReply> f = new CompletableFuture<>();
            replies.add(f);
            return f;
        }
    }

    private static EmbeddedChannel channel(Upstream upstream, MessageProcessor processor) {
        SmtpServerConfig config = SmtpServerConfig.builder().hostname("mx.test").build();
        SmtpServices services = new SmtpServices(config, upstream, processor, Runnable::run, Clock.systemUTC());
        SmtpFrameDecoder frames = new SmtpFrameDecoder(config.bareLf(), config.longLines());
        SessionTimeouts timeouts = new SessionTimeouts();
        DataSpooler spooler = new DataSpooler(config.spoolThreshold(), null);
        return new EmbeddedChannel(frames, timeouts, new SmtpCommandDecoder(), SmtpReplyEncoder.INSTANCE, spooler,
                new SmtpSessionHandler(services, frames, timeouts, spooler)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 40000);
            }
        };
    }

    private static void write(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
    }

    /** Every reply line written so far. */
    private static List<String> replies(EmbeddedChannel ch) {
        List<String> lines = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            for (String l : b.toString(StandardCharsets.US_ASCII).split("\r\n")) {
                lines.add(l);
            }
            b.release();
        }
        return lines;
    }

    @Test
    void greetsAndAnswersEhlo() {
        EmbeddedChannel ch = channel(new RecordingUpstream(), new ManualProcessor());
        write(ch, "EHLO c.test\r\n");
        List<String> r = replies(ch);
        assertEquals("220 mx.test ESMTP Mynaguard ready", r.get(0));
        assertEquals("250-mx.test", r.get(1));
        assertTrue(r.contains("250-PIPELINING"));
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelinedCommandsWaitForTheUpstreamAndAreAnsweredInOrder() {
        ManualUpstream upstream = new ManualUpstream();
        EmbeddedChannel ch = channel(upstream, new ManualProcessor());
        write(ch, "EHLO c.test\r\n");
        replies(ch);
        write(ch, "MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nRCPT TO:<z@y.test>\r\nNOOP\r\n");
        assertEquals(List.of("250 2.1.0 Ok"), replies(ch));
        assertEquals(1, upstream.rcpts.size(), "the second RCPT is not even decoded yet");
        upstream.rcpts.get(0).complete(SmtpReply.of(550, "5.1.1", "No such user"));
        assertEquals(List.of("550 5.1.1 No such user"), replies(ch));
        upstream.rcpts.get(1).complete(SmtpReply.of(250, "2.1.5", "Ok"));
        assertEquals(List.of("250 2.1.5 Ok", "250 2.0.0 OK"), replies(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void nothingIsReadWhileTheMessageIsBeingDecided() {
        ManualProcessor processor = new ManualProcessor();
        EmbeddedChannel ch = channel(new RecordingUpstream(), processor);
        write(ch, "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n");
        replies(ch);
        write(ch, "Subject: s\r\n\r\nbody\r\n.\r\nNOOP\r\n");
        assertEquals(1, processor.submissions.size());
        assertEquals(List.of(), replies(ch), "no reply before the decision, not even to NOOP");
        Submission s = processor.submissions.get(0);
        assertEquals(List.of("x@y.test"), s.recipients());
        assertEquals("a@b.test", s.mailFrom());
        String content = processor.contents.get(0);
        assertTrue(content.startsWith("Received: from c.test ([127.0.0.1])\r\n\tby mx.test (Mynaguard)\r\n"), content);
        assertTrue(content.contains("\r\n\tfor <x@y.test>;"), content);
        assertTrue(content.contains("Subject: s\r\nMessage-ID: <" + s.referenceId() + "."), content);
        assertTrue(content.endsWith("\r\n\r\nbody\r\n"), content);
        processor.replies.get(0).complete(SmtpReply.of(550, "5.7.1", "Message refused. Ref " + s.referenceId()));
        assertEquals(List.of("550 5.7.1 Message refused. Ref " + s.referenceId(), "250 2.0.0 OK"), replies(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailedDecisionIs451NeverSilence() {
        ManualProcessor processor = new ManualProcessor();
        EmbeddedChannel ch = channel(new RecordingUpstream(), processor);
        write(ch, "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n");
        replies(ch);
        write(ch, "x\r\n.\r\n");
        processor.replies.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertEquals(List.of("451 4.3.0 Temporary local problem, try again later"), replies(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void quitClosesAndAbandonsTheTransaction() {
        RecordingUpstream upstream = new RecordingUpstream();
        EmbeddedChannel ch = channel(upstream, new ManualProcessor());
        write(ch, "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nQUIT\r\nNOOP\r\n");
        List<String> r = replies(ch);
        assertEquals("221 2.0.0 mx.test closing connection", r.get(r.size() - 1));
        assertEquals(1, upstream.aborted.get());
        assertTrue(!ch.isOpen());
        assertNull(ch.readOutbound());
    }
}
