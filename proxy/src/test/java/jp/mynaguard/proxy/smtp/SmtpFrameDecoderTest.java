package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import org.junit.jupiter.api.Test;

/** {@link SmtpFrameDecoder} on its own: command framing, DATA end detection, unstuffing, demand. */
class SmtpFrameDecoderTest {
    /** Collects frames as strings; asks for the next command after each one unless told to stall; enters DATA after "DATA". */
    private static final class Consumer extends ChannelInboundHandlerAdapter {
        final SmtpFrameDecoder decoder;
        final List<Object> frames = new ArrayList<>();
        final StringBuilder data = new StringBuilder();
        boolean stall;

        Consumer(SmtpFrameDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf b) {
                    String line = b.toString(StandardCharsets.UTF_8);
                    frames.add(line);
                    if (line.equals("DATA")) {
                        decoder.startData();
                    } else if (!stall) {
                        decoder.requestCommand();
                    }
                } else if (msg instanceof DataChunk c) {
                    data.append(c.content().toString(StandardCharsets.ISO_8859_1));
                } else {
                    frames.add(msg);
                    if (msg instanceof DataEnd) {
                        frames.add("content:" + data);
                        data.setLength(0);
                    }
                    if (!stall) {
                        decoder.requestCommand();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private static Consumer channel(BareLineEndPolicy lf, LongLinePolicy longLines, EmbeddedChannel[] out) {
        SmtpFrameDecoder d = new SmtpFrameDecoder(lf, longLines);
        Consumer c = new Consumer(d);
        EmbeddedChannel ch = new EmbeddedChannel(d, c);
        d.requestCommand();
        out[0] = ch;
        return c;
    }

    private static Consumer run(String input) {
        return run(BareLineEndPolicy.NORMALIZE, LongLinePolicy.REJECT, input);
    }

    private static Consumer run(BareLineEndPolicy lf, LongLinePolicy longLines, String... writes) {
        EmbeddedChannel[] ch = new EmbeddedChannel[1];
        Consumer c = channel(lf, longLines, ch);
        for (String w : writes) {
            ch[0].writeInbound(Unpooled.copiedBuffer(w, StandardCharsets.ISO_8859_1));
        }
        assertFalse(ch[0].finish());
        return c;
    }

    private static DataEnd end(Consumer c) {
        for (Object f : c.frames) {
            if (f instanceof DataEnd e) {
                return e;
            }
        }
        throw new AssertionError("no end of data in " + c.frames);
    }

    @Test
    void commandLinesEndWithCrlfOnly() {
        Consumer c = run("EHLO a\r\nNOOP\r\n");
        assertEquals(List.of("EHLO a", "NOOP"), c.frames);
    }

    @Test
    void bareLfAndBareCrInCommandsAreErrors() {
        Consumer c = run("NOOP\nRSET\r\nNO\rOP\r\nQUIT\r\n");
        assertEquals(List.of(LineError.BARE_LF, "RSET", LineError.BARE_CR, "QUIT"), c.frames);
    }

    @Test
    void commandLineOf512OctetsPassesAnd513IsTooLong() {
        String ok = "NOOP " + "x".repeat(512 - 2 - 5);
        String tooLong = "NOOP " + "x".repeat(512 - 2 - 4);
        Consumer c = run(ok + "\r\n" + tooLong + "\r\nQUIT\r\n");
        assertEquals(List.of(ok, LineError.TOO_LONG, "QUIT"), c.frames);
    }

    @Test
    void longLineIsSkippedAcrossReadsWithoutBuffering() {
        Consumer c = run(BareLineEndPolicy.NORMALIZE, LongLinePolicy.REJECT,
                "NOOP " + "y".repeat(600), "z".repeat(5000), "zz\r\nQUIT\r\n");
        assertEquals(List.of(LineError.TOO_LONG, "QUIT"), c.frames);
    }

    @Test
    void commandsSplitAcrossReadsAreJoined() {
        Consumer c = run(BareLineEndPolicy.NORMALIZE, LongLinePolicy.REJECT, "MAIL FR", "OM:<a@b>\r", "\nQUIT\r\n");
        assertEquals(List.of("MAIL FROM:<a@b>", "QUIT"), c.frames);
    }

    @Test
    void withoutDemandNothingIsDecodedAndTheRestWaitsInTheBuffer() {
        EmbeddedChannel[] ch = new EmbeddedChannel[1];
        Consumer c = channel(BareLineEndPolicy.NORMALIZE, LongLinePolicy.REJECT, ch);
        c.stall = true;
        ch[0].writeInbound(Unpooled.copiedBuffer("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n", StandardCharsets.US_ASCII));
        assertEquals(List.of("MAIL FROM:<a@b>"), c.frames);
        assertTrue(c.decoder.hasBufferedInput());
        c.decoder.requestCommand();
        assertEquals(List.of("MAIL FROM:<a@b>", "RCPT TO:<c@d>"), c.frames);
        assertFalse(c.decoder.hasBufferedInput());
        ch[0].finishAndReleaseAll();
    }

    @Test
    void dataEndsOnlyOnCrlfDotCrlf() {
        Consumer c = run("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        assertEquals("content:Subject: x\r\n\r\nbody\r\n", c.frames.get(2));
        assertNull(end(c).error());
        assertEquals("QUIT", c.frames.get(3));
    }

    @Test
    void emptyMessageIsJustTheDot() {
        Consumer c = run("DATA\r\n.\r\n");
        assertEquals("content:", c.frames.get(2));
    }

    @Test
    void smugglingVariantsDoNotEndData() {
        for (String fake : new String[] {"\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n"}) {
            Consumer c = run("DATA\r\nfirst" + fake + "MAIL FROM:<evil@x>\r\n\r\n.\r\nQUIT\r\n");
            assertEquals("QUIT", c.frames.get(c.frames.size() - 1), fake);
            assertEquals(4, c.frames.size(), () -> "one DATA, one end, one QUIT for " + escape(fake) + ": " + c.frames);
            String content = (String) c.frames.get(2);
            assertTrue(content.contains("MAIL FROM:<evil@x>"), "smuggled command stays content");
        }
    }

    @Test
    void bareLfIsNormalisedToCrlf() {
        Consumer c = run("DATA\r\na\nb\r\n.\r\n");
        assertEquals("content:a\r\nb\r\n", c.frames.get(2));
        assertNull(end(c).error());
        assertEquals(1, end(c).normalizedBareLf());
    }

    @Test
    void bareLfIsRefusedWhenConfigured() {
        Consumer c = run(BareLineEndPolicy.REJECT, LongLinePolicy.REJECT, "DATA\r\na\nb\r\n.\r\n");
        assertEquals(DataEnd.ContentError.BARE_LF, end(c).error());
    }

    @Test
    void bareCrIsAlwaysRefused() {
        Consumer c = run("DATA\r\na\rb\r\n.\r\n");
        assertEquals(DataEnd.ContentError.BARE_CR, end(c).error());
    }

    @Test
    void dotStuffingIsRemoved() {
        Consumer c = run("DATA\r\n..leading dot\r\n...two\r\n.x\r\n.\r\n");
        assertEquals("content:.leading dot\r\n..two\r\nx\r\n", c.frames.get(2));
    }

    @Test
    void endOfDataSplitAcrossReads() {
        Consumer c = run(BareLineEndPolicy.NORMALIZE, LongLinePolicy.REJECT, "DATA\r\nbody\r", "\n.", "\r", "\nQUIT\r\n");
        assertEquals("content:body\r\n", c.frames.get(2));
        assertEquals("QUIT", c.frames.get(3));
    }

    @Test
    void lineOf1000OctetsPassesAnd1001IsRefused() {
        Consumer ok = run("DATA\r\n" + "a".repeat(998) + "\r\n.\r\n");
        assertNull(end(ok).error());
        Consumer tooLong = run("DATA\r\n" + "a".repeat(999) + "\r\n.\r\n");
        assertEquals(DataEnd.ContentError.LONG_LINE, end(tooLong).error());
    }

    @Test
    void stuffedDotCountsTowardsTheLineLength() {
        Consumer c = run("DATA\r\n." + "a".repeat(998) + "\r\n.\r\n");
        assertEquals(DataEnd.ContentError.LONG_LINE, end(c).error());
    }

    @Test
    void longLinesAreFoldedWhenConfigured() {
        Consumer c = run(BareLineEndPolicy.NORMALIZE, LongLinePolicy.FOLD, "DATA\r\n" + "a".repeat(1500) + "\r\n.\r\n");
        assertNull(end(c).error());
        String content = ((String) c.frames.get(2)).substring("content:".length());
        for (String line : content.split("\r\n")) {
            assertTrue(line.length() <= 998, "line of " + line.length());
        }
        assertEquals(1500, content.replace("\r\n ", "").replace("\r\n", "").length());
    }

    @Test
    void bytesAfterTheFinalDotWaitForTheNextCommandRequest() {
        EmbeddedChannel[] ch = new EmbeddedChannel[1];
        Consumer c = channel(BareLineEndPolicy.NORMALIZE, LongLinePolicy.REJECT, ch);
        c.stall = true;
        ch[0].writeInbound(Unpooled.copiedBuffer("DATA\r\nx\r\n.\r\nQUIT\r\n", StandardCharsets.US_ASCII));
        assertSame(DataEnd.class, c.frames.get(1).getClass());
        assertEquals(3, c.frames.size());
        c.decoder.requestCommand();
        assertEquals("QUIT", c.frames.get(3));
        ch[0].finishAndReleaseAll();
    }

    @Test
    void largeContentStreamsInChunks() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            body.append(i % 7 == 0 ? ".." : "").append("line ").append(i).append("\r\n");
        }
        String wire = "DATA\r\n" + body + ".\r\nQUIT\r\n";
        List<String> writes = new ArrayList<>();
        for (int i = 0; i < wire.length(); i += 777) {
            writes.add(wire.substring(i, Math.min(wire.length(), i + 777)));
        }
        Consumer c = run(BareLineEndPolicy.NORMALIZE, LongLinePolicy.REJECT, writes.toArray(new String[0]));
        assertEquals("content:" + body.toString().replace("\r\n..", "\r\n.").replaceFirst("^\\.\\.", "."),
                c.frames.get(2));
        assertEquals("QUIT", c.frames.get(3));
    }

    /**
     * The decoder copies whole runs of ordinary lines at once; fed two bytes per read, no run can
     * span a line end (it needs the CR, the LF and the next line's first byte in one read) and
     * every CR, LF and dot goes through the byte-level state machine. For
     * content full of dots, bare CRs and LFs and smuggling endings, both give the same frames,
     * with heap and with direct buffers (the latter are scanned through a copy in windows).
     */
    @Test
    void wholeReadsDecodeAsTwoByteReads() {
        java.util.Random random = new java.util.Random(4);
        String[] pieces = {"a", "b", ".", "..", "\r", "\n", "\r\n", "\r\n", "\r\n.", "\n.\n", "\r.\r", "\r\n.\n"};
        for (int n = 0; n < 150; n++) {
            StringBuilder sb = new StringBuilder();
            int count = random.nextInt(30);
            for (int k = 0; k < count; k++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String wire = "DATA\r\n" + sb + "\r\n.\r\nQUIT\r\n";
            for (BareLineEndPolicy lf : BareLineEndPolicy.values()) {
                assertSameFrames(lf, LongLinePolicy.REJECT, wire, random.nextInt(wire.length()));
            }
        }
    }

    /** The same for lines around and far beyond the limit, rejected or folded. */
    @Test
    void longLinesDecodeAsTwoByteReads() {
        for (int length : new int[] {998, 999, 2100}) {
            for (String start : new String[] {"", "."}) {
                String wire = "DATA\r\n" + start + "x".repeat(length) + "\r\nnext\n.\r\nQUIT\r\n";
                for (LongLinePolicy longLines : LongLinePolicy.values()) {
                    assertSameFrames(BareLineEndPolicy.NORMALIZE, longLines, wire, length);
                }
            }
        }
    }

    private static void assertSameFrames(BareLineEndPolicy lf, LongLinePolicy longLines, String wire, int cut) {
        String expected = describe(run(lf, longLines, wire.split("(?<=\\G..)")));
        assertEquals(expected, describe(run(lf, longLines, wire)), () -> escape(wire));
        assertEquals(expected, describe(run(lf, longLines, wire.substring(0, cut), wire.substring(cut))), () -> escape(wire));
        assertEquals(expected, describe(runDirect(lf, longLines, wire)), () -> escape(wire));
    }

    @Test
    void directReadsLargerThanTheScanWindow() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            body.append(i % 5 == 0 ? "." : "").append("line ").append(i).append(i % 11 == 0 ? "\n" : "\r\n");
        }
        String wire = "DATA\r\n" + body + ".\r\nQUIT\r\n";
        for (LongLinePolicy longLines : LongLinePolicy.values()) {
            assertEquals(describe(run(BareLineEndPolicy.NORMALIZE, longLines, wire)),
                    describe(runDirect(BareLineEndPolicy.NORMALIZE, longLines, wire)));
        }
    }

    private static Consumer runDirect(BareLineEndPolicy lf, LongLinePolicy longLines, String wire) {
        EmbeddedChannel[] ch = new EmbeddedChannel[1];
        Consumer c = channel(lf, longLines, ch);
        ByteBuf direct = Unpooled.directBuffer();
        direct.writeCharSequence(wire, StandardCharsets.ISO_8859_1);
        ch[0].writeInbound(direct);
        assertFalse(ch[0].finish());
        return c;
    }

    /** The frames with each end of data spelled out (DataEnd has no equals). */
    private static String describe(Consumer c) {
        StringBuilder sb = new StringBuilder();
        for (Object f : c.frames) {
            sb.append(f instanceof DataEnd e ? "end " + e.error() + " " + e.normalizedBareLf() : escape(String.valueOf(f)))
                    .append('|');
        }
        return sb.append(escape(c.data.toString())).toString();
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
