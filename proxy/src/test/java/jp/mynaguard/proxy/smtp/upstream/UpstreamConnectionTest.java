package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import jp.mynaguard.proxy.smtp.SmtpReply;

/** The request/reply pairing of {@link UpstreamConnection}, on an {@link EmbeddedChannel}. */
class UpstreamConnectionTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final UpstreamConnection connection =
            new UpstreamConnection(channel, UpstreamConfig.builder("127.0.0.1", 25).tls(TlsMode.NONE).build());

    private void reply(String wire) {
        channel.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
    }

    private String written() {
        channel.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void withoutPipeliningOneCommandAtATime() throws Exception {
        reply("220 hello\r\n");
        assertEquals(220, connection.greeting().get().code());
        CompletableFuture<SmtpReply> mail = connection.command(ClientCommand.of("MAIL", "FROM:<a@b>"));
        CompletableFuture<SmtpReply> rcpt = connection.command(ClientCommand.of("RCPT", "TO:<c@d>"));
        assertEquals("MAIL FROM:<a@b>\r\n", written());
        reply("250 2.1.0 Ok\r\n");
        assertEquals("2.1.0", mail.get().enhanced());
        assertEquals("RCPT TO:<c@d>\r\n", written());
        assertFalse(rcpt.isDone());
        reply("550 5.1.1 unknown\r\n");
        assertEquals(550, rcpt.get().code());
        channel.finishAndReleaseAll();
    }

    @Test
    void withPipeliningAllQueuedCommandsGoOutAtOnce() throws Exception {
        reply("220 hello\r\n");
        connection.pipelining(true);
        CompletableFuture<SmtpReply> a = connection.command(ClientCommand.of("RCPT", "TO:<a@x>"));
        CompletableFuture<SmtpReply> b = connection.command(ClientCommand.of("RCPT", "TO:<b@x>"));
        CompletableFuture<SmtpReply> data = connection.command(ClientCommand.DATA);
        assertEquals("RCPT TO:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n", written());
        reply("250 2.1.5 a\r\n550 5.1.1 b\r\n354 go\r\n");
        assertEquals(250, a.get().code());
        assertEquals(550, b.get().code());
        assertEquals(354, data.get().code());
        channel.finishAndReleaseAll();
    }

    @Test
    void unsolicitedReplyBreaksTheConnection() {
        reply("220 hello\r\n");
        reply("421 4.4.2 bye\r\n");
        assertFalse(channel.isActive());
        assertFalse(connection.usable());
        CompletableFuture<SmtpReply> late = connection.command(ClientCommand.RSET);
        assertTrue(late.isCompletedExceptionally());
        channel.finishAndReleaseAll();
    }

    @Test
    void closedConnectionFailsWhatIsPending() {
        reply("220 hello\r\n");
        CompletableFuture<SmtpReply> mail = connection.command(ClientCommand.of("MAIL", "FROM:<a@b>"));
        written();
        channel.close();
        assertTrue(mail.isCompletedExceptionally());
        assertEquals(UpstreamException.Kind.CONNECTION_LOST, UpstreamException.find(mail.handle((r, t) -> t).join()).kind());
    }

    @Test
    void bytesAfterStartTls220AreRefusedBeforeTlsIsInstalled() throws Exception {
        reply("220 hello\r\n");
        SslHandler tls = SslContextBuilder.forClient().build().newHandler(channel.alloc());
        CompletableFuture<SmtpReply> start = connection.startTls(tls);
        assertEquals("STARTTLS\r\n", written());
        reply("220 2.0.0 go ahead\r\n250 injected\r\n");
        assertTrue(start.isCompletedExceptionally());
        assertEquals(UpstreamException.Kind.PROTOCOL, UpstreamException.find(start.handle((r, t) -> t).join()).kind());
        assertNull(channel.pipeline().get(SslHandler.class));
        assertFalse(channel.isActive());
        channel.finishAndReleaseAll();
    }
}
