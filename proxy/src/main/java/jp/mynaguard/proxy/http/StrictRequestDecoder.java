package jp.mynaguard.proxy.http;

import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Bytes from the client → {@link HttpRequest}, {@link io.netty.handler.codec.http.HttpContent}s
 * and a {@link LastHttpContent}, or a {@link RequestRejected} (after which everything is
 * discarded). Our own framing rather than Netty's {@code HttpRequestDecoder}, so that every
 * ambiguity a smuggling attack relies on is refused here (RFC 9112 §6): Transfer-Encoding
 * together with Content-Length in any HTTP version, any Transfer-Encoding but exactly
 * {@code chunked} (Netty treats {@code chunked, gzip} as chunked), Transfer-Encoding in
 * HTTP/1.0, more than one Content-Length even with equal values, chunk lines and trailer lines
 * not ended by CR LF, chunk data not followed by CR LF.
 *
 * <p>One request at a time: after a request's last content (or a CONNECT head) nothing more is
 * decoded until {@link #resume} is called; pipelined bytes wait in the buffer. Reads are asked
 * for only when a request is in progress and needs bytes (the channel's auto-read is off), which
 * is the backpressure towards the client. When removed (CONNECT), bytes not yet decoded, such as
 * a ClientHello sent in the same packet as the CONNECT, flow on to the next handler.
 */
final class StrictRequestDecoder extends ChannelInboundHandlerAdapter {
    /** What the deadline handler looks at. */
    enum Phase { IDLE, HEAD, BODY, PAUSED, BROKEN }

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, PAUSED, BROKEN }

    private final RequestHeadParser headParser;
    private final long maxBody;
    private final int maxChunkLine;
    private final int maxTrailerBytes;
    private ByteBuf cumulation;
    private State state = State.HEAD;
    private long remaining;
    private long bodyBytes;
    private int trailerBytes;
    private ChannelHandlerContext ctx;

    StrictRequestDecoder(HttpProxyConfig config) {
        this(config.maxRequestLine(), config.maxHeadBytes(), config.maxHeaderFields(), config.maxBodyBytes());
    }

    StrictRequestDecoder(int maxRequestLine, int maxHeadBytes, int maxFields, long maxBody) {
        this.headParser = new RequestHeadParser(maxRequestLine, maxHeadBytes, maxFields);
        this.maxBody = maxBody;
        this.maxChunkLine = HttpProxyLimits.MAX_CHUNK_LINE;
        this.maxTrailerBytes = HttpProxyLimits.MAX_TRAILER_BYTES;
    }

    Phase phase() {
        return switch (state) {
            case HEAD -> cumulation != null && cumulation.isReadable() ? Phase.HEAD : Phase.IDLE;
            case PAUSED -> Phase.PAUSED;
            case BROKEN -> Phase.BROKEN;
            default -> Phase.BODY;
        };
    }

    /** Body bytes of the current request received so far (for the minimum rate). */
    long bodyBytes() {
        return bodyBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.BROKEN) {
            buf.release();
            return;
        }
        cumulate(ctx, buf);
        decode(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state != State.PAUSED && state != State.BROKEN) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    /** Goes on with the next request (pipelined bytes first); called once the last answer is written. */
    void resume() {
        if (state != State.PAUSED) {
            return;
        }
        state = State.HEAD;
        bodyBytes = 0;
        decode(ctx);
        if (state != State.PAUSED && state != State.BROKEN) {
            ctx.read();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ByteBuf rest = cumulation;
        cumulation = null;
        if (rest != null) {
            if (rest.isReadable() && state != State.BROKEN) {
                ctx.fireChannelRead(rest);
                ctx.fireChannelReadComplete();
            } else {
                rest.release();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        ctx.fireChannelInactive();
    }

    private void cumulate(ChannelHandlerContext ctx, ByteBuf in) {
        if (cumulation == null || !cumulation.isReadable()) {
            if (cumulation != null) {
                cumulation.release();
            }
            cumulation = in;
            return;
        }
        // A shared cumulation (retained slices went out as content) is never written into.
        if (cumulation.refCnt() > 1 || cumulation.isReadOnly() || cumulation.writableBytes() < in.readableBytes()) {
            int size = cumulation.readableBytes() + in.readableBytes();
            ByteBuf bigger = ctx.alloc().buffer(Math.max(size, Math.min(2 * cumulation.readableBytes(), size + 65536)));
            bigger.writeBytes(cumulation);
            cumulation.release();
            cumulation = bigger;
        }
        cumulation.writeBytes(in);
        in.release();
    }

    private void decode(ChannelHandlerContext ctx) {
        ByteBuf in = cumulation;
        try {
            while (in != null && state != State.PAUSED && state != State.BROKEN) {
                if (!step(ctx, in)) {
                    break;
                }
            }
        } catch (RequestHeadParser.HeadException e) {
            reject(ctx, e.rejection());
        }
        if (in != null && !in.isReadable() && in == cumulation) {
            in.release();
            cumulation = null;
        }
    }

    /** One step of the state machine; false when more bytes are needed. */
    private boolean step(ChannelHandlerContext ctx, ByteBuf in) throws RequestHeadParser.HeadException {
        switch (state) {
            case HEAD -> {
                if (!in.isReadable()) {
                    return false;
                }
                HttpRequest request = headParser.parse(in);
                if (request == null) {
                    return false;
                }
                startBody(ctx, request);
                return true;
            }
            case FIXED -> {
                if (!in.isReadable()) {
                    return false;
                }
                int n = (int) Math.min(remaining, in.readableBytes());
                content(ctx, in, n);
                remaining -= n;
                if (remaining == 0) {
                    finish(ctx);
                }
                return true;
            }
            case CHUNK_SIZE -> {
                String line = line(in, maxChunkLine, "chunk size line");
                if (line == null) {
                    return false;
                }
                remaining = chunkSize(line);
                state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
                if (bodyBytes + remaining > maxBody) {
                    reject(ctx, tooLarge());
                }
                return true;
            }
            case CHUNK_DATA -> {
                if (!in.isReadable()) {
                    return false;
                }
                int n = (int) Math.min(remaining, in.readableBytes());
                content(ctx, in, n);
                remaining -= n;
                if (remaining == 0) {
                    state = State.CHUNK_END;
                }
                return true;
            }
            case CHUNK_END -> {
                if (in.readableBytes() < 2) {
                    return false;
                }
                if (in.readByte() != '\r' || in.readByte() != '\n') {
                    throw new RequestHeadParser.HeadException(HttpResponseStatus.BAD_REQUEST,
                            "chunk data not followed by CR LF");
                }
                state = State.CHUNK_SIZE;
                return true;
            }
            case TRAILER -> {
                String line = line(in, maxTrailerBytes - trailerBytes, "trailer section");
                if (line == null) {
                    return false;
                }
                trailerBytes += line.length() + 2;
                if (line.isEmpty()) {
                    finish(ctx);
                } else {
                    // Validated like a header field, then dropped: the request is re-framed with Content-Length.
                    RequestHeadParser.addField(new io.netty.handler.codec.http.DefaultHttpHeaders(false), line);
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void startBody(ChannelHandlerContext ctx, HttpRequest request) throws RequestHeadParser.HeadException {
        HttpHeaders h = request.headers();
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        List<String> cl = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
        bodyBytes = 0;
        trailerBytes = 0;
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) {
                throw bad("Transfer-Encoding together with Content-Length");
            }
            if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
                throw bad("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
                boolean single = te.size() == 1 && te.get(0).indexOf(',') < 0;
                throw single && !te.get(0).toLowerCase(Locale.ROOT).contains("chunked")
                        ? new RequestHeadParser.HeadException(HttpResponseStatus.NOT_IMPLEMENTED,
                                "transfer coding not supported (only chunked)")
                        : bad("Transfer-Encoding other than exactly chunked");
            }
            ctx.fireChannelRead(request);
            state = State.CHUNK_SIZE;
            return;
        }
        long length = 0;
        if (!cl.isEmpty()) {
            if (cl.size() > 1 || cl.get(0).indexOf(',') >= 0) {
                throw bad("more than one Content-Length");
            }
            length = contentLength(cl.get(0));
        }
        if (length > maxBody) {
            reject(ctx, tooLarge());
            return;
        }
        ctx.fireChannelRead(request);
        if (request.method() == HttpMethod.CONNECT || length == 0) {
            finish(ctx);
        } else {
            remaining = length;
            state = State.FIXED;
        }
    }

    private void content(ChannelHandlerContext ctx, ByteBuf in, int n) {
        bodyBytes += n;
        int capacity = in.capacity();
        ctx.fireChannelRead(new ReceivedContent(in.readRetainedSlice(n), capacity));
    }

    private void finish(ChannelHandlerContext ctx) {
        state = State.PAUSED;
        ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void reject(ChannelHandlerContext ctx, RequestRejected r) {
        state = State.BROKEN;
        if (cumulation != null) {
            cumulation.skipBytes(cumulation.readableBytes());
        }
        ctx.fireChannelRead(r);
    }

    private RequestRejected tooLarge() {
        return new RequestRejected(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body larger than " + maxBody + " bytes");
    }

    /** A CR LF-terminated line (without it), or null when incomplete. */
    private static String line(ByteBuf in, int max, String what) throws RequestHeadParser.HeadException {
        int start = in.readerIndex();
        int n = Math.min(in.readableBytes(), Math.max(0, max) + 2);
        for (int i = 0; i < n; i++) {
            byte b = in.getByte(start + i);
            if (b == '\n') {
                if (i == 0 || in.getByte(start + i - 1) != '\r') {
                    throw bad(what + " ended without CR (lone LF)");
                }
                String s = in.toString(start, i - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
                in.skipBytes(i + 1);
                return s;
            }
            if (b == '\r' && i + 1 < n && in.getByte(start + i + 1) != '\n') {
                throw bad("CR not followed by LF in the " + what);
            }
        }
        if (n >= Math.max(0, max) + 2) {
            throw bad(what + " too long");
        }
        return null;
    }

    /** RFC 9112 §7.1: chunk-size [ chunk-ext ]; extensions are skipped, control characters refused. */
    static long chunkSize(String line) throws RequestHeadParser.HeadException {
        int i = 0;
        long size = 0;
        while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0) {
            if (i == 15) {
                throw bad("chunk size too large");
            }
            size = size * 16 + Character.digit(line.charAt(i), 16);
            i++;
        }
        if (i == 0) {
            throw bad("chunk size is not hexadecimal");
        }
        String rest = line.substring(i);
        String ext = rest.stripLeading();
        if (!rest.isEmpty() && !ext.startsWith(";")) {
            throw bad("invalid characters after the chunk size");
        }
        for (int j = 0; j < rest.length(); j++) {
            char c = rest.charAt(j);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw bad("control character in a chunk extension");
            }
        }
        return size;
    }

    static long contentLength(String value) throws RequestHeadParser.HeadException {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad("invalid Content-Length");
        }
        return Long.parseLong(v);
    }

    private static RequestHeadParser.HeadException bad(String reason) {
        return new RequestHeadParser.HeadException(HttpResponseStatus.BAD_REQUEST, reason);
    }
}
