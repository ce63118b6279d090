package jp.mynaguard.proxy.console;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.util.ReferenceCountUtil;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: copies each aggregated request into a {@link ConsoleRequest}, runs
 * {@link ConsoleApp} on the worker pool (the workflow, the store and PBKDF2 block) and writes the
 * answer back on the event loop. Requests of one connection are answered one at a time and in
 * order (HTTP/1.1 pipelining): later ones wait in a small queue; a client that pipelines more is
 * not a browser and is disconnected. A full worker pool answers {@code 503} at once.
 */
final class ConsoleHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConsoleHttpHandler.class);

    /** A request to answer; {@code fixed} is an answer decided without the app (a malformed request). */
    private record Pending(ConsoleRequest request, boolean keepAlive, ConsoleResponse fixed) {
    }

    private final ConsoleApp app;
    private final Executor workers;
    private final boolean secure;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;

    ConsoleHttpHandler(ConsoleApp app, Executor workers, boolean secure) {
        this.app = app;
        this.workers = workers;
        this.secure = secure;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Pending p;
        try {
            // A malformed request is answered 400 in its turn (after those before it), then the connection closes.
            p = req.decoderResult().isSuccess() ? new Pending(copy(ctx, req), HttpUtil.isKeepAlive(req), null)
                    : new Pending(null, false, new ConsoleResponse(400, "text/plain; charset=utf-8",
                            "400 Bad Request\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } finally {
            req.release();
        }
        if (queue.size() >= ConsoleLimits.MAX_PIPELINED_REQUESTS) {
            log.warn("console: more than {} pipelined requests from one connection, closing",
                    ConsoleLimits.MAX_PIPELINED_REQUESTS);
            ctx.close();
            return;
        }
        queue.add(p);
        next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
        if (busy || queue.isEmpty() || !ctx.channel().isActive()) {
            return;
        }
        busy = true;
        Pending p = queue.poll();
        if (p.fixed != null) {
            write(ctx, p, p.fixed);
            return;
        }
        try {
            workers.execute(() -> {
                ConsoleResponse resp;
                try {
                    resp = app.handle(p.request);
                } catch (RuntimeException | Error e) {
                    log.error("console: unexpected failure on {} {}", p.request.method(), p.request.path(), e);
                    resp = new ConsoleResponse(500, "text/plain; charset=utf-8",
                            "500 Internal Server Error\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                ConsoleResponse answer = resp;
                ctx.executor().execute(() -> write(ctx, p, answer));
            });
        } catch (RejectedExecutionException e) {
            write(ctx, p, new ConsoleResponse(503, "text/plain; charset=utf-8",
                    "503 Service Unavailable: the console is busy, try again\n".getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)).header("Retry-After", "5"));
        }
    }

    private void write(ChannelHandlerContext ctx, Pending p, ConsoleResponse r) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status),
                Unpooled.wrappedBuffer(r.body));
        if (r.contentType != null) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType);
        }
        r.headers.forEach((k, v) -> resp.headers().set(k, v));
        for (String c : r.cookies) {
            resp.headers().add(HttpHeaderNames.SET_COOKIE, c);
        }
        HttpUtil.setContentLength(resp, r.body.length);
        HttpUtil.setKeepAlive(resp, p.keepAlive);
        if (p.keepAlive) {
            ctx.writeAndFlush(resp);
            busy = false;
            next(ctx);
        } else {
            queue.clear();
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset connection or a TLS failure: nothing to answer, and nothing from a message to log.
        log.debug("console connection error: {}", cause.toString());
        ctx.close();
    }

    private ConsoleRequest copy(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder q = new QueryStringDecoder(req.uri(), java.nio.charset.StandardCharsets.UTF_8, true, 64);
        Map<String, String> headers = new HashMap<>();
        Map<String, String> cookies = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            headers.putIfAbsent(name, h.getValue());
            if (name.equals("cookie")) {
                for (Cookie c : ServerCookieDecoder.STRICT.decode(h.getValue())) {
                    cookies.putIfAbsent(c.name(), c.value());
                }
            }
        }
        Map<String, List<String>> params = q.parameters();
        String client = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
        return new ConsoleRequest(req.method().name(), req.uri(), q.path(), params, headers, cookies,
                ByteBufUtil.getBytes(req.content()), client, secure);
    }
}
