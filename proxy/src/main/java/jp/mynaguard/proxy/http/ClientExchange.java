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
    private ProxyRequest cur;
    private int authFailures;

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
                cur.release();
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
        ProxyRequest req = new ProxyRequest();
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
            FullHttpResponse refusal = RequestAdmission.admit(req, s.config(), tunnelOrigin);
            if (refusal != null) {
                early(req, refusal);
                return;
            }
            req.writer = new SpooledRequest.Writer(h, req.target, s.bodyMemory(), ctx.alloc(), s.config().spoolDirectory());
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

    private void authenticated(ProxyRequest req, ProxyAuthenticator.Result r, Throwable error) {
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

    private void continueAfterAuth(ProxyRequest req) {
        if (req.head.headers().contains(HttpHeaderNames.EXPECT) && !req.bodyDone
                && req.head.protocolVersion() == HttpVersion.HTTP_1_1) {
            // The body is only invited once the head is accepted; the origin never sees the Expect.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        proceed(req);
    }

    private void content(HttpContent c) {
        ProxyRequest req = cur;
        boolean last = c instanceof LastHttpContent;
        try {
            if (req != null && req.writer != null && !req.answered && c.content().isReadable()) {
                req.writer.write(c.content(), c instanceof ReceivedContent r ? r.bufferCapacity() : 0);
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

    private void proceed(ProxyRequest req) {
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

    private void onWorker(ProxyRequest req, WorkerHop.Work<FullHttpResponse> work) {
        boolean started = WorkerHop.run(s.workers(), ctx.executor(), work, (page, e) -> {
            if (e != null) {
                log.error("ref {}: {}", req.ref, e.toString());
                early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "一時的な問題で受け付けられません。", "Temporary problem.");
            } else if (cur == req) {
                send(req, page);
            }
        });
        if (!started) {
            busy(req);
        }
    }

    private void busy(ProxyRequest req) {
        early(req, HttpResponseStatus.SERVICE_UNAVAILABLE, "混み合っています。しばらくしてから送信してください。",
                "The gateway is busy; please try again shortly.");
    }

    private void decide(ProxyRequest req) {
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
        boolean started = WorkerHop.run(s.workers(), ctx.executor(), () -> s.decider().decide(u), (outcome, e) -> {
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
        });
        if (!started) {
            timer.cancel(false);
            busy(req);
        }
    }

    private void forward(ProxyRequest req) {
        HttpRequest out = HopByHop.forward(req.head, req.target, req.body.bodyLength(), req.websocket);
        Object body;
        try {
            body = req.body.forwardBody(!req.target.origin().tls());
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
                        req.release();
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
                            req.release();
                            ctx.close();
                        } else {
                            send(req, page);
                        }
                    }
                });
    }

    private void connect(ProxyRequest req) {
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
    private void early(ProxyRequest req, HttpResponseStatus status, String ja, String en) {
        early(req, ProxyPages.error(status, ja, en, req.ref, req.json));
    }

    private void early(ProxyRequest req, FullHttpResponse page) {
        if (req.answered) {
            page.release();
            return;
        }
        if (req.bodyDone || !req.expectsBody()) {
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

    private void send(ProxyRequest req, FullHttpResponse page) {
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

    private void end(ProxyRequest req, boolean close) {
        req.release();
        if (cur == req) {
            cur = null;
        }
        if (close) {
            ctx.close();
        } else {
            decoder.resume();
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
            cur.release();
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
