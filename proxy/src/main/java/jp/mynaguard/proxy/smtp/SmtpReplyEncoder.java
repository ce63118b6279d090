package jp.mynaguard.proxy.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link SmtpReply}s. Replies are ASCII (RFC 5321); anything else, e.g. an upstream's
 * non-ASCII text passed through, becomes {@code ?}, and a CR or LF inside a line (which would
 * forge a reply) becomes a space.
 */
@ChannelHandler.Sharable
final class SmtpReplyEncoder extends MessageToByteEncoder<SmtpReply> {
    static final SmtpReplyEncoder INSTANCE = new SmtpReplyEncoder();

    private SmtpReplyEncoder() {
        super(SmtpReply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpReply reply, ByteBuf out) {
        List<String> lines = reply.lines();
        String code = Integer.toString(reply.code());
        for (int i = 0; i < lines.size(); i++) {
            out.writeCharSequence(code, StandardCharsets.US_ASCII);
            out.writeByte(i == lines.size() - 1 ? ' ' : '-');
            if (!reply.enhanced().isEmpty()) {
                writeText(reply.enhanced(), out);
                out.writeByte(' ');
            }
            writeText(lines.get(i), out);
            out.writeByte('\r').writeByte('\n');
        }
    }

    private static void writeText(String s, ByteBuf out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.writeByte(c < 0x20 || c == 0x7f ? ' ' : c < 0x7f ? c : '?');
        }
    }
}
