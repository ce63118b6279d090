package jp.mynaguard.proxy.smtp.upstream;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

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
     * Copies {@code in} to {@code out} in runs: a run goes on across each CRLF whose next line
     * starts with anything but a dot, so ordinary content is one copy per chunk and only a line
     * start with a dot, a bare CR or LF, or a line end at the chunk's edge stops it. The bytes
     * are scanned in a plain array (a per-byte {@code ByteBuf} call is many times slower).
     */
    private void stuff(ByteBuf in, ByteBuf out) {
        byte[] a;
        int i;
        int end;
        if (in.hasArray()) {
            a = in.array();
            i = in.arrayOffset() + in.readerIndex();
            end = in.arrayOffset() + in.writerIndex();
        } else {
            a = ByteBufUtil.getBytes(in);
            i = 0;
            end = a.length;
        }
        while (i < end) {
            if (pendingCr) {
                // The CR was held back until we knew what follows it: CRLF, or a bare CR we repair.
                pendingCr = false;
                writeCrLf(out);
                atLineStart = true;
                if (a[i] == LF) {
                    i++;
                    continue;
                }
            }
            if (atLineStart) {
                if (a[i] == DOT) {
                    out.writeByte(DOT);
                }
                atLineStart = false;
            }
            int runStart = i;
            int eol;
            for (;;) {
                eol = i;
                while (eol < end && a[eol] != CR && a[eol] != LF) {
                    eol++;
                }
                if (eol + 2 < end && a[eol] == CR && a[eol + 1] == LF && a[eol + 2] != DOT) {
                    // A CRLF, and the next line needs no dot: it stays part of the run.
                    i = eol + 2;
                    continue;
                }
                break;
            }
            out.writeBytes(a, runStart, eol - runStart);
            if (eol == end) {
                return;
            }
            if (a[eol] == CR) {
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
