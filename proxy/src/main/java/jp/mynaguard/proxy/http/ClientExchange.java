package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import jp.mynaguard.proxy.ReferenceId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's requests, one at a time: who sends (proxy authentication, or the
 * tunnel's user), where to (absolute-form on the proxy port, origin-form inside an intercepted
 * tunnel), the body into a spool, then scan-and-decide on a worker and either the answer page or
 * the forward to the origin with the response streamed back. CONNECT goes to {@link ConnectTunnels}.
 * The next request is decoded only when this one is answered.
 */
final class ClientExchange extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientExchange.class);

    private final ProxyServices s;
    private final Origin tunnelOrigin;
    private final ProxyUser tunnelUser;
    private final StrictRequestDecoder decoder;
    private final OriginLink originLink;
    private ChannelHandlerContext ctx;
    private Request cur;
    private int authFailures;

    /** The request in progress. */
    private static final class Request {
        HttpRequest head;
        RequestTarget target;
        String ref;
        boolean keepAlive;
        boolean json;
        boolean connect;
        boolean authDone;
        boolean bodyDone;
        boolean answered;
        boolean websocket;
        ProxyUser user;
        SpooledRequest.Writer writer;
        SpooledRequest body;
        FullHttpResponse pending;
        Instant receivedAt;
    }

    ClientExchange(ProxyServices services, StrictRequestDecoder decoder, Origin tunnelOrigin, ProxyUser tunnelUser) {
        this.s = services;
        this.decoder = decoder;
        this.tunnelOrigin = tunnelOrigin;
        this.tunnelUser = tunnelUser;
        this.originLink = new OriginLink(services);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RequestRejected r) {
            log.info("client {}: request refused: {} {}", client(), r.status().code(), r.reason());
            boolean json = cur != null && cur.json;
            if (cur != null) {
                closeRequest(cur);
                if (cur.pending != null) {
                    cur.pending.release();
                }
            }
            cur = null;
            FullHttpResponse page = ProxyPages.error(r.status(), "リクエストの形式が正しくないため受け付けませんでした。",
                    "The request was refused: " + r.reason() + ".", null, json);
            page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(page).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (msg instanceof HttpRequest h) {
            head(h);
        }
        if (msg instanceof HttpContent c) {
            content(c);
        }
    }

    private void head(HttpRequest h) {
        Request req = new Request();
        cur = req;
        req.head = h;
        req.ref = ReferenceId.next();
        req.receivedAt = Instant.now();
        req.keepAlive = HopByHop.clientKeepAlive(h);
        String accept = h.headers().get(HttpHeaderNames.ACCEPT);
        req.json = accept != null && accept.contains("application/json") && !accept.contains("text/html");
        if (h.method() == HttpMethod.CONNECT) {
            req.connect = true;
            if (tunnelOrigin != null) {
                early(req, HttpResponseStatus.BAD_REQUEST, "トンネルの中で CONNECT は使えません。", "CONNECT inside a tunnel.");
                return;
            }
        } else {
            try {
                req.target = tunnelOrigin != null
                        ? RequestTarget.inTunnel(tunnelOrigin, h.uri(), h.headers().get(HttpHeaderNames.HOST))
                        : h.uri().startsWith("/") ? null : RequestTarget.absolute(h.uri());
            } catch (IllegalArgumentException e) {
                early(req, HttpResponseStatus.BAD_REQUEST, "宛先の URL が正しくありません。", "Invalid URL: " + e.getMessage());
                return;
            }
            if (req.target == null) {
                early(req, HttpResponseStatus.BAD_REQUEST, "ここは Mynaguard のプロキシです。ブラウザのプロキシ設定に指定してください。",
                        "This is Mynaguard's proxy port: set it as the proxy in your browser or tool.");
                return;
            }
            if (!checks(req)) {
                return;
            }
            try {
                req.writer = new SpooledRequest.Writer(h, req.target, s.config().spoolThreshold(), s.config().spoolDirectory());
            } catch (IOException e) {
                early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "一時的な問題で受け付けられません。", "Temporary problem.");
                return;
            }
        }
        if (tunnelUser != null) {
            req.user = tunnelUser;
            req.authDone = true;
            continueAfterAuth(req);
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        CompletableFuture<ProxyAuthenticator.Result> auth;
        try {
            auth = s.authenticator().authenticate(h.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION), remote.getAddress());
        } catch (RejectedExecutionException e) {
            early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "混み合っています。", "The gateway is busy.");
            return;
        }
        auth.whenComplete((r, e) -> ctx.executor().execute(() -> authenticated(req, r, e)));
    }

    /** Refusals that need no body: Expect, ports, WebSocket, non-proxy requests. */
    private boolean checks(Request req) {
        HttpRequest h = req.head;
        String expect = h.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
            early(req, HttpResponseStatus.EXPECTATION_FAILED, "Expect の値に対応していません。", "Unsupported expectation.");
            return false;
        }
        if (req.target != null && !req.target.origin().tls() && s.config().deniedPorts().contains(req.target.origin().port())) {
            early(req, HttpResponseStatus.FORBIDDEN, "このポートへの HTTP 送信は許可されていません。",
                    "HTTP requests to this port are not allowed.");
            return false;
        }
        if (HopByHop.isWebSocketUpgrade(h)) {
            // Not inspected, so refused unless the host is listed; see docs/ARCHITECTURE.md.
            req.websocket = req.target != null && s.config().websocketAllowed(req.target.origin().host())
                    && h.method() == HttpMethod.GET;
            if (req.websocket) {
                return true;
            }
            early(req, HttpResponseStatus.FORBIDDEN, "WebSocket の接続は許可されていません（内容を検査できないため）。",
                    "WebSocket connections are not allowed here (their content cannot be inspected).");
            return false;
        }
        return true;
    }

    private void authenticated(Request req, ProxyAuthenticator.Result r, Throwable error) {
        if (cur != req || req.answered) {
            return;
        }
        if (error != null || !r.ok()) {
            authFailures++;
            FullHttpResponse page = ProxyPages.error(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
                    "プロキシの認証が必要です。利用者名とパスワードを入力してください。",
                    "Proxy authentication required: " + (r == null ? "error" : r.problem()) + ".", null, req.json);
            page.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"Mynaguard\", charset=\"UTF-8\"");
            if (authFailures >= s.config().maxAuthFailures()) {
                req.keepAlive = false;
            }
            early(req, page);
            return;
        }
        req.user = r.user();
        req.authDone = true;
        continueAfterAuth(req);
    }

    private void continueAfterAuth(Request req) {
        if (req.head.headers().contains(HttpHeaderNames.EXPECT) && !req.bodyDone
                && req.head.protocolVersion() == HttpVersion.HTTP_1_1) {
            // The body is only invited once the head is accepted; the origin never sees the Expect.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        proceed(req);
    }

    private void content(HttpContent c) {
        Request req = cur;
        boolean last = c instanceof LastHttpContent;
        try {
            if (req != null && req.writer != null && !req.answered && c.content().isReadable()) {
                req.writer.write(c.content());
            }
        } catch (IOException e) {
            log.error("client {}: cannot spool the request body: {}", client(), e.toString());
            req.writer.close();
            req.writer = null;
            early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "一時的な問題で受け付けられません。", "Temporary problem.");
        } finally {
            c.release();
        }
        if (req == null || !last || cur != req) {
            return;
        }
        req.bodyDone = true;
        if (req.pending != null) {
            FullHttpResponse p = req.pending;
            req.pending = null;
            send(req, p);
            return;
        }
        if (req.answered) {
            return;
        }
        if (req.writer != null) {
            try {
                req.body = req.writer.finish();
            } catch (IOException e) {
                early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "一時的な問題で受け付けられません。", "Temporary problem.");
                return;
            } finally {
                req.writer = null;
            }
        }
        proceed(req);
    }

    private void proceed(Request req) {
        if (!req.authDone || !req.bodyDone || req.answered) {
            return;
        }
        if (req.connect) {
            connect(req);
        } else if (ApprovalRequests.isApprovalRequest(req.head.method().name(), req.target)) {
            onWorker(req, () -> s.approvals().handle(req.user, req.target.origin().host(), req.body, req.json));
        } else if (req.websocket) {
            log.info("ref {} client {}: WebSocket to {} allowed by websocket_hosts, not inspected", req.ref, client(),
                    req.target.origin().host());
            s.audit().record(jp.mynaguard.proxy.audit.AuditEvent.of("websocket").channel("http").ref(req.ref)
                    .user(req.user.login()).field("host", req.target.origin().host()).action("allow")
                    .field("inspected", false).build());
            forward(req);
        } else {
            decide(req);
        }
    }

    private interface Work {
        FullHttpResponse run() throws IOException;
    }

    private void onWorker(Request req, Work work) {
        try {
            CompletableFuture.supplyAsync(() -> {
                try {
                    return work.run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, s.workers()).whenComplete((page, e) -> ctx.executor().execute(() -> {
                if (e != null) {
                    log.error("ref {}: {}", req.ref, e.toString());
                    early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "一時的な問題で受け付けられません。", "Temporary problem.");
                } else if (cur == req) {
                    send(req, page);
                }
            }));
        } catch (RejectedExecutionException e) {
            early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "混み合っています。しばらくしてから送信してください。",
                    "The gateway is busy; please try again shortly.");
        }
    }

    private void decide(Request req) {
        UploadDecider.Upload u = new UploadDecider.Upload(req.ref, req.user, req.head.method().name(), req.target,
                req.head.headers().get(HttpHeaderNames.CONTENT_TYPE), req.head.headers().get(HttpHeaderNames.CONTENT_ENCODING),
                req.body, req.receivedAt, req.json, client());
        ScheduledFuture<?> timer = ctx.executor().schedule(() -> {
            if (cur == req && !req.answered) {
                req.keepAlive = false;
                early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "検査が時間内に終わらなかったため送信しませんでした。",
                        "The upload was not sent: the inspection did not finish in time.");
            }
        }, s.config().decisionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            CompletableFuture.supplyAsync(() -> {
                try {
                    return s.decider().decide(u);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, s.workers()).whenComplete((outcome, e) -> ctx.executor().execute(() -> {
                timer.cancel(false);
                if (cur != req || req.answered) {
                    return;
                }
                if (e != null) {
                    // Fail closed: what could not be inspected is not forwarded.
                    log.error("ref {}: cannot decide on the request: {}", req.ref, e.toString());
                    early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "検査できなかったため送信しませんでした。",
                            "The upload was not sent: it could not be inspected.");
                } else if (outcome.response() != null) {
                    send(req, outcome.response());
                } else {
                    forward(req);
                }
            }));
        } catch (RejectedExecutionException e) {
            timer.cancel(false);
            early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "混み合っています。しばらくしてから送信してください。",
                    "The gateway is busy; please try again shortly.");
        }
    }

    private void forward(Request req) {
        HttpRequest out = HopByHop.forward(req.head, req.target, req.body.bodyLength(), req.websocket);
        Object body;
        try {
            body = req.body.bodyLength() > 0 ? new HttpChunkedInput(req.body.bodyInput()) : LastHttpContent.EMPTY_LAST_CONTENT;
        } catch (IOException e) {
            early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "一時的な問題で送信できませんでした。", "Temporary problem.");
            return;
        }
        boolean head = req.head.method() == HttpMethod.HEAD;
        boolean http10 = req.head.protocolVersion() == HttpVersion.HTTP_1_0;
        originLink.send(ctx.channel(), req.target.origin(), out, body, head, http10, req.keepAlive, req.json,
                req.websocket, new OriginLink.Done() {
                    @Override
                    public void upgraded(Channel origin) {
                        req.answered = true;
                        closeRequest(req);
                        cur = null;
                        RawRelay.switchToRelay(ctx.channel(), origin);
                    }

                    @Override
                    public void finished(boolean clientMustClose) {
                        if (cur == req) {
                            req.answered = true;
                            end(req, clientMustClose || !req.keepAlive);
                        }
                    }

                    @Override
                    public void failed(FullHttpResponse page) {
                        if (cur != req) {
                            if (page != null) {
                                page.release();
                            }
                        } else if (page == null) {
                            req.answered = true;
                            closeRequest(req);
                            ctx.close();
                        } else {
                            send(req, page);
                        }
                    }
                });
    }

    private void connect(Request req) {
        ConnectTunnels tunnels = s.tunnels();
        if (tunnels == null) {
            early(req, HttpResponseStatus.NOT_IMPLEMENTED, "HTTPS（CONNECT）はこのゲートウェイでは設定されていません。",
                    "HTTPS (CONNECT) is not configured on this gateway.");
            return;
        }
        req.answered = true;
        cur = null;
        tunnels.open(ctx, req.head, req.user);
        // The tunnel owns the connection now: our HTTP handlers go, the decoder last so that bytes it
        // buffered after the CONNECT head (a ClientHello in the same packet) flow on to the tunnel.
        ProxyChannelInitializer.removeHttpHandlers(ctx.pipeline());
    }

    /** An answer decided before the body was read: sent once the body is in, or at once (and close) if one is coming. */
    private void early(Request req, HttpResponseStatus status, String ja, String en) {
        early(req, ProxyPages.error(status, ja, en, req.ref, req.json));
    }

    private void early(Request req, FullHttpResponse page) {
        if (req.answered) {
            page.release();
            return;
        }
        if (req.bodyDone || !expectsBody(req.head)) {
            if (req.bodyDone) {
                send(req, page);
            } else {
                req.pending = page;
                req.answered = true;
            }
            return;
        }
        // The rest of the body is not wanted: answer and close rather than read it.
        req.keepAlive = false;
        send(req, page);
    }

    private static boolean expectsBody(HttpRequest h) {
        if (h == null) {
            return true;
        }
        String cl = h.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return h.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) || cl != null && !cl.trim().equals("0");
    }

    private void send(Request req, FullHttpResponse page) {
        req.answered = true;
        boolean close = !req.keepAlive || !req.bodyDone;
        page.headers().set(HttpHeaderNames.CONNECTION, close ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(page).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            } else {
                end(req, close);
            }
        });
    }

    private void end(Request req, boolean close) {
        closeRequest(req);
        if (cur == req) {
            cur = null;
        }
        if (close) {
            ctx.close();
        } else {
            decoder.resume();
        }
    }

    private static void closeRequest(Request req) {
        if (req.writer != null) {
            req.writer.close();
            req.writer = null;
        }
        if (req.body != null) {
            req.body.close();
            req.body = null;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            originLink.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cur != null) {
            closeRequest(cur);
            if (cur.pending != null) {
                cur.pending.release();
            }
            cur = null;
        }
        originLink.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client {}: {}", client(), cause.toString());
        ctx.close();
    }

    private String client() {
        Channel ch = ctx.channel();
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(ch.remoteAddress());
    }
}
