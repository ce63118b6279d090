package jp.mynaguard.proxy.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Frames the client's byte stream strictly, and only on demand.
 *
 * <p><b>Commands:</b> a line ends only with CRLF and is at most {@link SmtpLimits#MAX_COMMAND_LINE}
 * octets; it is emitted as a {@link ByteBuf} without the CRLF. A bare LF, a CR inside the line or
 * an overlong line is skipped and reported as a {@link LineError}. Netty's
 * {@code LineBasedFrameDecoder} would accept a lone LF, which is what SMTP smuggling exploits.
 *
 * <p><b>DATA</b> (after {@link #startData()}): a byte-level state machine emits {@link DataChunk}s
 * (dot-unstuffed, line ends CRLF) and one {@link DataEnd}. Data ends only on {@code CRLF . CRLF}
 * where the first CRLF is a real one: {@code \n.\n}, {@code \r.\r}, {@code \n.\r\n} and
 * {@code \r\n.\n} do not end it. Bare LFs are turned into CRLF (or refused, by policy); a bare CR
 * is refused; over-long lines are refused or folded.
 *
 * <p><b>Demand:</b> the session processes one command at a time (pipelined commands are answered
 * strictly in order, and MAIL/RCPT may wait for the upstream), so a command line is decoded only
 * after {@link #requestCommand()}; the rest of a pipelined burst waits in the buffer. The
 * channel runs with auto-read off and this handler reads only when it needs input for a frame
 * that was asked for, which gives backpressure: while a message is scanned, nothing is read.
 * Because demand decides when decoding happens, this is not a {@link ByteToMessageDecoder}
 * (whose decode loop runs on every read), though it uses its cumulator.
 */
final class SmtpFrameDecoder extends ChannelInboundHandlerAdapter {
    private static final int MAX_CONTENT_LINE = SmtpLimits.MAX_TEXT_LINE - 2;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';
    /** Per event-loop thread: where a direct buffer's bytes are scanned (see {@link #process}). */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[16 * 1024];
        }
    };

    private enum DataState { LINE_START, DOT, DOT_CR, TEXT, CR }

    private final BareLineEndPolicy bareLfPolicy;
    private final LongLinePolicy longLinePolicy;

    private ChannelHandlerContext ctx;
    private ByteBuf buffer;
    private boolean commandWanted;
    private boolean dataMode;
    private boolean endPending;
    private boolean draining;
    private boolean discardingLongLine;
    private boolean stopped;

    private DataState state;
    private boolean lineAfterCrlf;
    private int lineLength;
    private boolean bareLf;
    private boolean bareCr;
    private boolean longLine;
    private int normalized;

    SmtpFrameDecoder(BareLineEndPolicy bareLf, LongLinePolicy longLines) {
        this.bareLfPolicy = bareLf;
        this.longLinePolicy = longLines;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Asks for the next command line (or line error); it is decoded now if buffered, else read. */
    void requestCommand() {
        commandWanted = true;
        resume();
    }

    /** Switches to DATA content; call right after writing {@code 354}. */
    void startData() {
        dataMode = true;
        endPending = false;
        state = DataState.LINE_START;
        // The CRLF that ended the DATA command counts as the CRLF before a first-line dot.
        lineAfterCrlf = true;
        lineLength = 0;
        bareLf = false;
        bareCr = false;
        longLine = false;
        normalized = 0;
        resume();
    }

    /**
     * Whether bytes beyond the last frame are buffered: after STARTTLS that is an injection
     * attempt (CVE-2011-0411 class), as those bytes were sent in clear before the handshake.
     */
    boolean hasBufferedInput() {
        return buffer != null && buffer.isReadable();
    }

    /** No more frames (after QUIT, or before closing on a protocol violation); buffered bytes are dropped. */
    void stop() {
        stopped = true;
        commandWanted = false;
        dataMode = false;
        releaseBuffer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || stopped) {
            if (stopped) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
            return;
        }
        buffer = buffer == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffer, in);
        drain();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (buffer != null && !buffer.isReadable()) {
            releaseBuffer();
        } else if (buffer != null && buffer.refCnt() == 1) {
            // Only when no command slice shares the memory (discarding moves the bytes).
            buffer.discardSomeReadBytes();
        }
        if (wantsInput()) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBuffer();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffer();
    }

    private boolean wantsInput() {
        return !stopped && (dataMode || commandWanted);
    }

    private void resume() {
        if (draining || stopped) {
            // Called by a handler reacting to a frame this decoder fired: the loop in drain() goes on.
            return;
        }
        drain();
        if (wantsInput() && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (;;) {
                Object frame;
                if (stopped) {
                    break;
                } else if (dataMode) {
                    frame = decodeData();
                } else if (commandWanted && buffer != null && buffer.isReadable()) {
                    frame = decodeCommand(buffer);
                    if (frame != null) {
                        commandWanted = false;
                    }
                } else {
                    break;
                }
                if (frame == null) {
                    break;
                }
                ctx.fireChannelRead(frame);
            }
        } finally {
            draining = false;
        }
    }

    // ---------------------------------------------------------------- commands

    private Object decodeCommand(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (discardingLongLine) {
            int lf = in.forEachByte(ByteProcessor.FIND_LF);
            if (lf < 0) {
                in.skipBytes(readable);
                return null;
            }
            in.readerIndex(lf + 1);
            discardingLongLine = false;
            return LineError.TOO_LONG;
        }
        int lf = in.forEachByte(start, Math.min(readable, SmtpLimits.MAX_COMMAND_LINE), ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (readable >= SmtpLimits.MAX_COMMAND_LINE) {
                // Never accumulate an unbounded line: skip to its end, then report it.
                discardingLongLine = true;
                return decodeCommand(in);
            }
            return null;
        }
        if (lf == start || in.getByte(lf - 1) != CR) {
            in.readerIndex(lf + 1);
            return LineError.BARE_LF;
        }
        int length = lf - 1 - start;
        if (length > 0 && in.forEachByte(start, length, ByteProcessor.FIND_CR) >= 0) {
            in.readerIndex(lf + 1);
            return LineError.BARE_CR;
        }
        ByteBuf line = in.retainedSlice(start, length);
        in.readerIndex(lf + 1);
        return line;
    }

    // ---------------------------------------------------------------- DATA

    private Object decodeData() {
        if (endPending) {
            return endOfData();
        }
        if (buffer == null || !buffer.isReadable()) {
            return null;
        }
        ByteBuf out = ctx.alloc().buffer(buffer.readableBytes() + 16);
        boolean done = process(buffer, out);
        if (done) {
            endPending = true;
        }
        if (out.isReadable()) {
            return new DataChunk(out);
        }
        out.release();
        return done ? endOfData() : null;
    }

    private DataEnd endOfData() {
        endPending = false;
        dataMode = false;
        DataEnd.ContentError error = bareCr ? DataEnd.ContentError.BARE_CR
                : bareLf && bareLfPolicy == BareLineEndPolicy.REJECT ? DataEnd.ContentError.BARE_LF
                : longLine ? DataEnd.ContentError.LONG_LINE
                : null;
        return new DataEnd(error, normalized);
    }

    /**
     * Runs the state machine over {@code in} into {@code out}; returns true at end of data (rest
     * stays in {@code in}). The bytes are scanned in a plain array (the buffer's own, or a copy of
     * a window of a direct buffer): a per-byte {@code ByteBuf} call is many times slower, and this
     * loop sees every byte of every message.
     */
    private boolean process(ByteBuf in, ByteBuf out) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        if (in.hasArray()) {
            int base = in.arrayOffset();
            int stop = process(in.array(), i + base, end + base, out);
            in.readerIndex((stop < 0 ? end + base : stop) - base);
            return stop >= 0;
        }
        byte[] window = SCRATCH.get();
        while (i < end) {
            int n = Math.min(window.length, end - i);
            in.getBytes(i, window, 0, n);
            int stop = process(window, 0, n, out);
            if (stop >= 0) {
                in.readerIndex(i + stop);
                return true;
            }
            i += n;
        }
        in.readerIndex(end);
        return false;
    }

    /** The state machine over {@code a[from, to)}; returns the index after the final dot line, or -1. */
    private int process(byte[] a, int from, int to, ByteBuf out) {
        int i = from;
        while (i < to) {
            if (state == DataState.TEXT) {
                int runEnd = textRun(a, i, to);
                if (runEnd > i) {
                    out.writeBytes(a, i, runEnd - i);
                    i = runEnd;
                    continue;
                }
            }
            if (step(a[i++], out)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * In state TEXT: the end of the run starting at {@code i} that goes to the output unchanged.
     * A run covers the rest of the line and, past each CRLF, goes on as long as the next line
     * starts with an ordinary byte (not a dot, CR or LF, and not beyond {@code to}): what
     * {@link #step} would do byte by byte leaves exactly those bytes as they are and ends in state
     * TEXT again. Past the line limit, a rejected line goes on unchanged (marked as too long) and
     * a folded one stops at the limit, where {@link #step} folds it; everything else is left to
     * {@link #step} as well.
     */
    private int textRun(byte[] a, int i, int to) {
        for (;;) {
            int eol = i;
            while (eol < to && a[eol] != CR && a[eol] != LF) {
                eol++;
            }
            int run = eol - i;
            if (lineLength + run > MAX_CONTENT_LINE) {
                if (longLinePolicy == LongLinePolicy.FOLD) {
                    int fits = Math.max(0, MAX_CONTENT_LINE - lineLength);
                    lineLength += fits;
                    return i + fits;
                }
                // Some byte of this run reaches the limit: text() would mark the line and copy it all.
                longLine = true;
                lineLength += run;
                return eol;
            }
            lineLength += run;
            if (eol + 2 >= to || a[eol] != CR || a[eol + 1] != LF) {
                return eol;
            }
            byte next = a[eol + 2];
            if (next == DOT || next == CR || next == LF) {
                return eol;
            }
            // CRLF, then the first byte of a new line: state TEXT, line length 1.
            lineAfterCrlf = true;
            lineLength = 1;
            i = eol + 3;
        }
    }

    /** One byte outside the fast path; true when it completed {@code CRLF . CRLF}. */
    private boolean step(byte b, ByteBuf out) {
        switch (state) {
            case LINE_START:
                if (b == DOT) {
                    // Held back: either the start of the final dot line or a stuffed dot to remove.
                    state = DataState.DOT;
                    lineLength = 1;
                    return false;
                }
                lineLength = 0;
                state = DataState.TEXT;
                text(b, out);
                return false;
            case DOT:
                if (b == CR) {
                    state = DataState.DOT_CR;
                    return false;
                }
                // A stuffed dot: drop it and go on with the line (a lone "." before a bare LF becomes an empty line).
                state = DataState.TEXT;
                text(b, out);
                return false;
            case DOT_CR:
                if (b == LF) {
                    if (lineAfterCrlf) {
                        return true;
                    }
                    // ".CRLF" after a bare LF: not the end (that is the smuggling trick), just an empty line.
                    out.writeByte(CR).writeByte(LF);
                    newLine(true);
                    return false;
                }
                bareCr = true;
                out.writeByte(CR);
                state = DataState.TEXT;
                text(b, out);
                return false;
            case CR:
                if (b == LF) {
                    out.writeByte(CR).writeByte(LF);
                    newLine(true);
                    return false;
                }
                bareCr = true;
                out.writeByte(CR);
                state = DataState.TEXT;
                text(b, out);
                return false;
            case TEXT:
            default:
                text(b, out);
                return false;
        }
    }

    /** A byte within a line (state TEXT or just entering it). */
    private void text(byte b, ByteBuf out) {
        if (b == CR) {
            state = DataState.CR;
            return;
        }
        if (b == LF) {
            bareLf = true;
            normalized++;
            out.writeByte(CR).writeByte(LF);
            newLine(false);
            return;
        }
        state = DataState.TEXT;
        if (lineLength >= MAX_CONTENT_LINE) {
            if (longLinePolicy == LongLinePolicy.FOLD) {
                out.writeByte(CR).writeByte(LF).writeByte(' ');
                lineLength = 1;
            } else {
                longLine = true;
            }
        }
        out.writeByte(b);
        lineLength++;
    }

    private void newLine(boolean afterCrlf) {
        state = DataState.LINE_START;
        lineAfterCrlf = afterCrlf;
        lineLength = 0;
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
