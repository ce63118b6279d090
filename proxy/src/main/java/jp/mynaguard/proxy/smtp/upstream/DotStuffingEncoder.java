package jp.mynaguard.proxy.smtp.upstream;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.util.ByteProcessor;

/**
 * Turns message content into the DATA wire form (RFC 5321 §4.5.2): a {@code .} is added before
 * every line that starts with one, every line ends in CRLF, and {@code .CRLF} follows the last
 * chunk. Netty's {@code SmtpRequestEncoder} leaves all of this to the caller.
 *
 * <p>A bare LF or bare CR in the content becomes CRLF. The SMTP server side already refuses or
 * normalises them, but this is the last point before the wire: whatever reaches the smarthost
 * must not let it see an end of data (or a line) that we did not mean (SMTP smuggling).
 * A message that does not end with a line break gets one before the final dot.
 *
 * <p>Line state carries across chunks (a CR may end one chunk and its LF start the next), so
 * an instance belongs to one channel. The state is back at "start of line" after each message.
 */
final class DotStuffingEncoder extends MessageToMessageEncoder<DataChunk> {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    private boolean atLineStart = true;
    private boolean pendingCr;

    DotStuffingEncoder() {
        super(DataChunk.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, DataChunk chunk, List<Object> out) {
        ByteBuf in = chunk.content();
        // Stuffing and CRLF repair only ever add bytes; a little headroom avoids most regrowth.
        ByteBuf buf = ctx.alloc().ioBuffer(in.readableBytes() + 64);
        boolean ok = false;
        try {
            stuff(in, buf);
            if (chunk.last()) {
                finish(buf);
            }
            out.add(buf);
            ok = true;
        } finally {
            if (!ok) {
                buf.release();
            }
        }
    }

    /**
     * Copies {@code in} to {@code out} a line at a time: whole runs up to the next CR or LF,
     * with the byte at each line start checked for a dot. A handful of buffer calls per line,
     * not one per byte.
     */
    private void stuff(ByteBuf in, ByteBuf out) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            if (pendingCr) {
                // The CR was held back until we knew what follows it: CRLF, or a bare CR we repair.
                pendingCr = false;
                writeCrLf(out);
                atLineStart = true;
                if (in.getByte(i) == LF) {
                    i++;
                    continue;
                }
            }
            if (atLineStart) {
                if (in.getByte(i) == DOT) {
                    out.writeByte(DOT);
                }
                atLineStart = false;
            }
            int eol = in.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
            if (eol < 0) {
                out.writeBytes(in, i, end - i);
                return;
            }
            out.writeBytes(in, i, eol - i);
            if (in.getByte(eol) == CR) {
                pendingCr = true;
            } else {
                writeCrLf(out);
                atLineStart = true;
            }
            i = eol + 1;
        }
    }

    private void finish(ByteBuf out) {
        if (pendingCr) {
            pendingCr = false;
            writeCrLf(out);
            atLineStart = true;
        }
        if (!atLineStart) {
            writeCrLf(out);
        }
        out.writeByte(DOT);
        writeCrLf(out);
        atLineStart = true;
    }

    private static void writeCrLf(ByteBuf out) {
        out.writeByte(CR).writeByte(LF);
    }
}
