package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class DotStuffingEncoderTest {
    /** Feeds the parts as consecutive chunks (the last one marked last) and returns the wire text. */
    private static String encode(String... parts) {
        EmbeddedChannel ch = new EmbeddedChannel(new DotStuffingEncoder());
        for (int i = 0; i < parts.length; i++) {
            ch.writeOutbound(new DataChunk(Unpooled.copiedBuffer(parts[i], StandardCharsets.UTF_8), i == parts.length - 1));
        }
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        assertFalse(ch.finish());
        return sb.toString();
    }

    @Test
    void stuffsLeadingDots() {
        assertEquals("Subject: x\r\n\r\n..\r\n..hidden\r\na.b\r\n...\r\n.\r\n",
                encode("Subject: x\r\n\r\n.\r\n.hidden\r\na.b\r\n..\r\n"));
    }

    @Test
    void firstLineDotIsStuffed() {
        assertEquals("..starts\r\n.\r\n", encode(".starts\r\n"));
    }

    @Test
    void lineStateCarriesAcrossChunks() {
        assertEquals("a\r\n..b\r\n..c\r\n.\r\n", encode("a\r", "\n.b\r\n", ".c\r\n"));
        assertEquals("x\r\n..\r\n.\r\n", encode("x\r\n", ".", "\r\n"));
    }

    @Test
    void smugglingEndingsCannotEndData() {
        // Bare LF and bare CR become CRLF, and the dots behind them are stuffed.
        assertEquals("a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n", encode("a\n.\nMAIL FROM:<x>\r\n"));
        assertEquals("a\r\n..\r\nb\r\n.\r\n", encode("a\r.\rb\r\n"));
        assertEquals("a\r\n..\r\nb\r\n.\r\n", encode("a\n.\r\nb\r\n"));
        assertEquals("a\r\n..\r\nb\r\n.\r\n", encode("a\r\n.\nb\r\n"));
    }

    @Test
    void missingFinalLineBreakIsAdded() {
        assertEquals("no newline\r\n.\r\n", encode("no newline"));
        assertEquals("cr at end\r\n.\r\n", encode("cr at end\r"));
    }

    @Test
    void emptyMessage() {
        assertEquals(".\r\n", encode(""));
    }

    @Test
    void stateResetsAfterEachMessage() {
        EmbeddedChannel ch = new EmbeddedChannel(new DotStuffingEncoder());
        ch.writeOutbound(new DataChunk(Unpooled.copiedBuffer("one", StandardCharsets.US_ASCII), true));
        ch.writeOutbound(new DataChunk(Unpooled.copiedBuffer(".two\r\n", StandardCharsets.US_ASCII), true));
        ByteBuf a = ch.readOutbound();
        ByteBuf b = ch.readOutbound();
        assertEquals("one\r\n.\r\n", a.toString(StandardCharsets.US_ASCII));
        assertEquals("..two\r\n.\r\n", b.toString(StandardCharsets.US_ASCII));
        a.release();
        b.release();
        ch.finish();
    }

    /**
     * Runs across CRLFs are an optimisation only: for content full of line starts with dots,
     * bare CRs and LFs, and CRLFs at chunk edges, the wire form is the same as when every byte
     * comes as a chunk of its own (where no run can span a line end), in heap and direct buffers.
     */
    @Test
    void wholeChunksEncodeAsByteByByte() {
        java.util.Random random = new java.util.Random(4);
        String alphabet = "ab..\r\n\r\n";
        for (int n = 0; n < 200; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(60);
            for (int k = 0; k < len; k++) {
                sb.append(random.nextInt(3) == 0 ? "\r\n" : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String content = sb.toString();
            String[] bytes = content.isEmpty() ? new String[] {""} : content.split("");
            String expected = encode(bytes);
            assertEquals(expected, encode(content), content);
            int cut = content.isEmpty() ? 0 : random.nextInt(content.length());
            assertEquals(expected, encode(content.substring(0, cut), content.substring(cut)), content);
            assertEquals(expected, encodeDirect(content), content);
        }
    }

    private static String encodeDirect(String content) {
        EmbeddedChannel ch = new EmbeddedChannel(new DotStuffingEncoder());
        ByteBuf direct = Unpooled.directBuffer();
        direct.writeCharSequence(content, StandardCharsets.US_ASCII);
        ch.writeOutbound(new DataChunk(direct, true));
        ByteBuf b = ch.readOutbound();
        String s = b.toString(StandardCharsets.US_ASCII);
        b.release();
        assertFalse(ch.finish());
        return s;
    }

    @Test
    void commandLinesRefuseLineBreaks() {
        assertThrows(IllegalArgumentException.class, () -> ClientCommand.of("RCPT", "TO:<a@b>\r\nDATA"));
        assertThrows(IllegalArgumentException.class, () -> ClientCommand.of("MAIL", "FROM:<a@b>\n"));
        assertThrows(IllegalArgumentException.class, () -> Addresses.rcpt("a@b> NOTIFY=NEVER"));
        EmbeddedChannel ch = new EmbeddedChannel(ClientCommandEncoder.INSTANCE);
        ch.writeOutbound(ClientCommand.of("MAIL", "FROM:<a@b>"));
        ByteBuf out = ch.readOutbound();
        assertEquals("MAIL FROM:<a@b>\r\n", out.toString(StandardCharsets.US_ASCII));
        out.release();
        assertEquals("(credentials)", ClientCommand.secret("AUTH", "PLAIN c2VjcmV0").toString());
    }
}
