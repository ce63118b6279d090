package jp.mynaguard.proxy.smtp.upstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import jp.mynaguard.proxy.smtp.SmtpReply;

/**
 * Decodes the smarthost's replies into {@link SmtpReply}s: {@code 250-…} continuation lines are
 * gathered until the {@code 250 …} line, and an RFC 3463 enhanced status code at the start of
 * the text is split off into {@link SmtpReply#enhanced()}.
 *
 * <p>Not Netty's {@code SmtpResponseDecoder}: we need the enhanced code, bounds on the number of
 * lines, and {@link #bufferedBytes()} — after {@code 220} to STARTTLS, bytes already received
 * but not yet decoded were sent before TLS and could only be injected by someone on the path
 * (CVE-2011-0411 class), so the caller must see them and refuse. Replies may end with a bare LF:
 * being lenient with what the smarthost sends does not weaken what we send.
 */
final class SmtpReplyDecoder extends ByteToMessageDecoder {
    /** RFC 5321 allows 512 octets per reply line; real servers exceed that a little, never by this much. */
    static final int MAX_LINE_LENGTH = 4096;
    /** EHLO replies are the longest; a few dozen lines at most. */
    static final int MAX_LINES = 200;

    private final List<String> lines = new ArrayList<>();
    private int code = -1;

    /** Bytes received and not yet decoded into a reply. */
    int bufferedBytes() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > MAX_LINE_LENGTH) {
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException("reply line longer than " + MAX_LINE_LENGTH + " bytes");
            }
            return;
        }
        int length = eol - in.readerIndex();
        if (length > MAX_LINE_LENGTH) {
            in.skipBytes(length + 1);
            throw new TooLongFrameException("reply line longer than " + MAX_LINE_LENGTH + " bytes");
        }
        int textEnd = length > 0 && in.getByte(eol - 1) == '\r' ? length - 1 : length;
        String line = in.toString(in.readerIndex(), textEnd, StandardCharsets.UTF_8);
        in.skipBytes(length + 1);
        SmtpReply reply = line(line);
        if (reply != null) {
            out.add(reply);
        }
    }

    /** Takes one line; returns the reply when it was the last line of one. */
    private SmtpReply line(String line) {
        int lineCode = parseCode(line);
        boolean more = line.length() > 3 && line.charAt(3) == '-';
        if (line.length() > 3 && !more && line.charAt(3) != ' ') {
            throw new CorruptedFrameException("malformed reply line");
        }
        if (code >= 0 && lineCode != code) {
            throw new CorruptedFrameException("reply code changed within a multi-line reply");
        }
        code = lineCode;
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (lines.size() > MAX_LINES) {
            throw new TooLongFrameException("reply with more than " + MAX_LINES + " lines");
        }
        if (more) {
            return null;
        }
        SmtpReply reply = build(code, lines);
        code = -1;
        lines.clear();
        return reply;
    }

    private static int parseCode(String line) {
        if (line.length() < 3) {
            throw new CorruptedFrameException("reply line too short");
        }
        int c = 0;
        for (int i = 0; i < 3; i++) {
            char ch = line.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new CorruptedFrameException("reply line does not start with a code");
            }
            c = c * 10 + (ch - '0');
        }
        if (c < 200 || c > 599) {
            throw new CorruptedFrameException("reply code out of range: " + c);
        }
        return c;
    }

    /** Splits an enhanced status code (same class as the reply code) off every line that has it. */
    static SmtpReply build(int code, List<String> texts) {
        String enhanced = enhancedPrefix(code, texts.get(0));
        if (enhanced.isEmpty()) {
            return new SmtpReply(code, "", texts);
        }
        List<String> stripped = new ArrayList<>(texts.size());
        for (String t : texts) {
            stripped.add(t.startsWith(enhanced) ? t.substring(enhanced.length()).stripLeading() : t);
        }
        return new SmtpReply(code, enhanced, stripped);
    }

    /** {@code 2.1.5} when {@code text} starts with it (class digit = first digit of the code), else "". */
    static String enhancedPrefix(int code, String text) {
        int end = text.indexOf(' ');
        String candidate = end < 0 ? text : text.substring(0, end);
        String[] parts = candidate.split("\\.", -1);
        if (parts.length != 3 || parts[0].length() != 1 || parts[0].charAt(0) - '0' != code / 100) {
            return "";
        }
        for (int i = 1; i < 3; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                return "";
            }
        }
        return candidate;
    }
}
