package jp.mynaguard.proxy.ops;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} for an HTTP/1.1 server pipeline, placed
 * after {@code HttpServerCodec} and {@code HttpObjectAggregator} and before the server's own
 * routes (and before any login check: scrapers and orchestrators do not log in, and nothing here
 * is personal data). Requests for other paths pass on untouched.
 *
 * <ul>
 * <li>{@code /healthz}: 200 while the process runs (answered on the event loop, no checks);</li>
 * <li>{@code /readyz}: 200 {@code ready} or 503 {@code not ready}, one line per check;</li>
 * <li>{@code /metrics}: the Prometheus text format.</li>
 * </ul>
 * Only GET and HEAD (405 otherwise). Scrapes and checks may touch the hold store, so they run on
 * {@code blocking}, never on the event loop. Sharable: one instance serves every connection.
 */
@ChannelHandler.Sharable
public final class OpsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpHandler.class);
    /** Prometheus text exposition format 0.0.4 (what every Prometheus version scrapes). */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";
    /** The paths this handler answers; everything else goes to the next handler. */
    public static final Set<String> PATHS = Set.of("/metrics", "/healthz", "/readyz");

    private final GatewayMetrics metrics;
    private final Readiness readiness;
    private final Executor blocking;

    public OpsHttpHandler(GatewayMetrics metrics, Readiness readiness, Executor blocking) {
        super(FullHttpRequest.class, false);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
    }

    /** Whether {@code uri} (path and query) is one of {@link #PATHS}. */
    public static boolean handles(String uri) {
        return PATHS.contains(path(uri));
    }

    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
        return super.acceptInboundMessage(msg) && handles(((FullHttpRequest) msg).uri());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        // autoRelease is off (so other paths pass on intact); what is ours is released here.
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpMethod method = req.method();
        String path = path(req.uri());
        HttpVersion version = req.protocolVersion();
        boolean malformed = req.decoderResult().isFailure();
        req.release();
        if (malformed) {
            send(ctx, response(version, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n", false), false);
            return;
        }
        boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method)) {
            FullHttpResponse r = response(version, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "GET or HEAD only\n", false);
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, r, keepAlive);
            return;
        }
        if (path.equals("/healthz")) {
            send(ctx, response(version, HttpResponseStatus.OK, TEXT, "ok\n", head), keepAlive);
            return;
        }
        // The answer comes later, from another thread: read no further request on this connection
        // until it is written, so pipelined requests are answered in order.
        boolean autoRead = ctx.channel().config().isAutoRead();
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<FullHttpResponse> answer = path.equals("/readyz") ? ready(version, head) : metrics(version, head);
        answer.whenComplete((r, error) -> {
            send(ctx, r, keepAlive);
            if (autoRead) {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private CompletableFuture<FullHttpResponse> ready(HttpVersion version, boolean head) {
        return readiness.check().handle((report, error) -> error != null
                ? response(version, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "not ready\n", head)
                : response(version, report.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        TEXT, report.text(), head));
    }

    private CompletableFuture<FullHttpResponse> metrics(HttpVersion version, boolean head) {
        return scrape().handle((body, error) -> {
            if (error != null) {
                log.warn("metrics scrape failed: {}", error.toString());
                return response(version, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "scrape failed\n", head);
            }
            return response(version, HttpResponseStatus.OK, METRICS_CONTENT_TYPE, body, head);
        });
    }

    /** Gauges read the hold store: off the event loop. */
    private CompletableFuture<String> scrape() {
        try {
            return CompletableFuture.supplyAsync(metrics::scrape, blocking);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static FullHttpResponse response(HttpVersion version, HttpResponseStatus status, String type, String body,
                                             boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpResponse r = new DefaultFullHttpResponse(version, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        // HEAD announces the length GET would send.
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    /** Writes from any thread (Netty hands the write to the channel's event loop). */
    private static void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        int h = uri.indexOf('#');
        int end = q >= 0 ? q : h >= 0 ? h : uri.length();
        return uri.substring(0, end);
    }
}
