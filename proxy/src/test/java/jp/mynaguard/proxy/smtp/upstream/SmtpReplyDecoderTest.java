package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import jp.mynaguard.proxy.smtp.SmtpReply;

class SmtpReplyDecoderTest {
    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new SmtpReplyDecoder());
    }

    private static void write(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    @Test
    void singleLineWithEnhancedCode() {
        EmbeddedChannel ch = channel();
        write(ch, "250 2.1.5 Ok\r\n");
        SmtpReply r = ch.readInbound();
        assertEquals(250, r.code());
        assertEquals("2.1.5", r.enhanced());
        assertEquals(List.of("Ok"), r.lines());
        assertTrue(ch.finishAndReleaseAll() == false);
    }

    @Test
    void multiLineEhloWithEmptyLastLine() {
        // smtp-sink ends its EHLO reply with "250 " and nothing after it.
        EmbeddedChannel ch = channel();
        write(ch, "250-smtp-sink\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 \r\n");
        SmtpReply r = ch.readInbound();
        assertEquals(List.of("smtp-sink", "PIPELINING", "AUTH PLAIN LOGIN", ""), r.lines());
        assertEquals("", r.enhanced());
        EhloCapabilities caps = EhloCapabilities.parse(r);
        assertTrue(caps.pipelining());
        assertEquals(java.util.Set.of("PLAIN", "LOGIN"), caps.authMechanisms());
    }

    @Test
    void replySplitAcrossReadsAndBareLf() {
        EmbeddedChannel ch = channel();
        write(ch, "550-5.1.1 first\r\n55");
        assertNull(ch.readInbound());
        write(ch, "0 5.1.1 second\n");
        SmtpReply r = ch.readInbound();
        assertEquals(550, r.code());
        assertEquals("5.1.1", r.enhanced());
        assertEquals(List.of("first", "second"), r.lines());
    }

    @Test
    void severalRepliesInOneRead() {
        EmbeddedChannel ch = channel();
        write(ch, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n");
        assertEquals(250, ((SmtpReply) ch.readInbound()).code());
        assertEquals("2.1.5", ((SmtpReply) ch.readInbound()).enhanced());
        SmtpReply data = ch.readInbound();
        assertEquals(354, data.code());
        assertEquals("", data.enhanced());
    }

    @Test
    void codeOnlyLine() {
        EmbeddedChannel ch = channel();
        write(ch, "221\r\n");
        SmtpReply r = ch.readInbound();
        assertEquals(221, r.code());
        assertEquals(List.of(""), r.lines());
    }

    @Test
    void enhancedCodeOfOtherClassIsText() {
        EmbeddedChannel ch = channel();
        write(ch, "451 5.1.1 odd\r\n");
        SmtpReply r = ch.readInbound();
        assertEquals("", r.enhanced());
        assertEquals(List.of("5.1.1 odd"), r.lines());
    }

    @Test
    void garbageIsAnError() {
        assertThrows(DecoderException.class, () -> write(channel(), "hello\r\n"));
        assertThrows(DecoderException.class, () -> write(channel(), "250x bad\r\n"));
        assertThrows(DecoderException.class, () -> write(channel(), "250-a\r\n251 b\r\n"));
        assertThrows(DecoderException.class, () -> write(channel(), "150 not smtp\r\n"));
    }

    @Test
    void overlongLineIsAnError() {
        String longLine = "250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE_LENGTH + 10);
        assertThrows(DecoderException.class, () -> write(channel(), longLine));
        assertThrows(DecoderException.class, () -> write(channel(), longLine + "\r\n"));
    }

    @Test
    void tooManyLinesIsAnError() {
        String many = "250-x\r\n".repeat(SmtpReplyDecoder.MAX_LINES + 1);
        assertThrows(DecoderException.class, () -> write(channel(), many));
    }

    @Test
    void bufferedBytesShowWhatFollowsAReply() {
        SmtpReplyDecoder decoder = new SmtpReplyDecoder();
        int[] seen = new int[] {-1};
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                if (seen[0] < 0) {
                    seen[0] = decoder.bufferedBytes();
                }
            }
        });
        write(ch, "220 Ready to start TLS\r\n250 injected\r\n");
        assertEquals("250 injected\r\n".length(), seen[0]);
        ch.finishAndReleaseAll();
    }
}
