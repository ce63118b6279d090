package jp.mynaguard.proxy.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CONNECT tunnel from request to route, on the client channel's event loop: check the target
 * and port, resolve and check the destination, answer 200, read the ClientHello
 * ({@link ClientHelloReader}), then intercept, relay or refuse. Every refusal answers (while the
 * client still speaks HTTP) or closes, and is recorded.
 */
final class TunnelSession {
    private static final Logger log = LoggerFactory.getLogger(TunnelSession.class);

    static final String HELD = "mynaguard-tunnel-held";
    static final String READER = "mynaguard-tunnel-hello";
    static final String TLS = "mynaguard-tunnel-tls";
    static final String WATCH = "mynaguard-tunnel-tls-watch";
    static final String SNIFF = "mynaguard-tunnel-alert-sniff";
    static final String IDLE = "mynaguard-tunnel-idle";
    static final String RELAY = "mynaguard-tunnel-relay";

    private final TunnelOpener opener;
    private final Channel client;
    private final String rawTarget;
    private final ProxyUser user;
    private final ChannelHandler caller;
    private final SocketAddress clientAddress;
    private ConnectTarget target;
    private InetSocketAddress origin;

    TunnelSession(TunnelOpener opener, Channel client, String rawTarget, ProxyUser user, ChannelHandler caller) {
        this.opener = opener;
        this.client = client;
        this.rawTarget = rawTarget;
        this.user = user;
        this.caller = caller;
        this.clientAddress = client.remoteAddress();
    }

    TunnelSettings settings() {
        return opener.settings();
    }

    /** Runs after the caller removed its HTTP codec (one event-loop task after {@code open}). */
    void begin() {
        if (!client.isActive()) {
            return;
        }
        // The tunnel owns the connection now; the caller's request router has nothing left to route.
        if (client.pipeline().context(caller) != null) {
            client.pipeline().remove(caller);
        }
        try {
            target = ConnectTarget.parse(rawTarget);
        } catch (IllegalArgumentException e) {
            refuse(TunnelResponses.badTarget(client.alloc()), null, 0, "CONNECT target is not host:port (" + e.getMessage() + ")");
            return;
        }
        if (!settings().portAllowed(target.port())) {
            refuse(TunnelResponses.portNotAllowed(client.alloc(), target.port()), target.host(), target.port(), "port not allowed");
            return;
        }
        String host = target.host();
        try {
            opener.workers().execute(() -> {
                List<InetAddress> addresses;
                try {
                    addresses = opener.resolver().resolve(host);
                } catch (Exception e) {
                    addresses = List.of();
                }
                List<InetAddress> resolved = addresses;
                client.eventLoop().execute(() -> resolved(resolved));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: no lookups any more.
            refuse(TunnelResponses.unresolvable(client.alloc()), target.host(), target.port(), "gateway stopping");
        }
    }

    private void resolved(List<InetAddress> addresses) {
        if (!client.isActive()) {
            return;
        }
        if (addresses.isEmpty()) {
            refuse(TunnelResponses.unresolvable(client.alloc()), target.host(), target.port(), "cannot resolve host");
            return;
        }
        // Connect to an address that passed the check, never re-resolve (DNS rebinding).
        InetAddress allowed = addresses.stream().filter(opener.guard()::allowed).findFirst().orElse(null);
        if (allowed == null) {
            refuse(TunnelResponses.internalDestination(client.alloc()), target.host(), target.port(),
                    "destination is an internal address");
            return;
        }
        origin = new InetSocketAddress(allowed, target.port());
        ChannelPipeline p = client.pipeline();
        p.context(HELD).writeAndFlush(TunnelResponses.established(client.alloc()));
        p.replace(HELD, READER, new ClientHelloReader(this));
        client.config().setAutoRead(true);
    }

    /** Readies the route for a parsed ClientHello: a TLS context to intercept, an origin connection to relay. */
    Future<TunnelPlan> prepare(EventExecutor executor, ClientHelloInfo hello) {
        TunnelRoute route = TunnelRoute.forClientHello(settings(), target, hello);
        if (route == TunnelRoute.INTERCEPT) {
            Promise<TunnelPlan> plan = executor.newPromise();
            opener.contexts().contextFor(target.host(), executor).addListener((Future<SslContext> f) -> {
                if (f.isSuccess()) {
                    plan.trySuccess(new TunnelPlan(route, hello, f.getNow(), null));
                } else {
                    plan.tryFailure(f.cause());
                }
            });
            return plan;
        }
        return connect(executor, route, hello);
    }

    /** Readies the route for first bytes that are no ClientHello. */
    Future<TunnelPlan> prepareWithoutHello(EventExecutor executor, boolean tlsRecord) {
        TunnelRoute route = TunnelRoute.withoutClientHello(settings(), target, tlsRecord);
        if (route == TunnelRoute.PLAIN_RELAY) {
            return connect(executor, route, null);
        }
        return executor.newSucceededFuture(TunnelPlan.refuse(route, null));
    }

    private Future<TunnelPlan> connect(EventExecutor executor, TunnelRoute route, ClientHelloInfo hello) {
        Promise<TunnelPlan> plan = executor.newPromise();
        opener.connector().connect(client, origin, settings().connectTimeout()).addListener((Future<Channel> f) -> {
            if (f.isSuccess()) {
                plan.trySuccess(new TunnelPlan(route, hello, null, f.getNow()));
            } else {
                plan.tryFailure(f.cause());
            }
        });
        return plan;
    }

    /** Puts the prepared route in place of the reader; the bytes it held flow on into the new handlers. */
    void apply(ChannelHandlerContext ctx, ClientHelloReader reader, Future<TunnelPlan> future) {
        if (!future.isSuccess()) {
            reader.discardInput();
            log.info("tunnel to {} failed: {}", TunnelAudit.masked(target.authority()), future.cause().toString());
            opener.audit().refused(target.host(), target.port(), user, clientAddress,
                    "cannot prepare the tunnel: " + future.cause().getClass().getSimpleName());
            ctx.close();
            return;
        }
        TunnelPlan plan = future.getNow();
        if (!client.isActive()) {
            if (plan.origin() != null) {
                plan.origin().close();
            }
            return;
        }
        switch (plan.route()) {
            case INTERCEPT -> intercept(ctx, reader, plan);
            case PASSTHROUGH, PLAIN_RELAY -> relay(ctx, reader, plan);
            case REFUSE_NOT_TLS -> {
                reader.discardInput();
                opener.audit().refused(target.host(), target.port(), user, clientAddress, "non-TLS traffic in CONNECT tunnel");
                // The client speaks something other than TLS, most likely plain HTTP: tell it why.
                ctx.writeAndFlush(TunnelResponses.notTls(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
            }
            case REFUSE_MALFORMED -> {
                reader.discardInput();
                opener.audit().refused(target.host(), target.port(), user, clientAddress, "malformed TLS ClientHello");
                ctx.close();
            }
        }
    }

    private void intercept(ChannelHandlerContext ctx, ClientHelloReader reader, TunnelPlan plan) {
        ChannelPipeline p = ctx.pipeline();
        SslHandler tls = plan.tls().newHandler(client.alloc());
        tls.setHandshakeTimeoutMillis(settings().clientHelloTimeout().toMillis());
        // The held ClientHello flows into the SslHandler here; the handshake cannot finish before
        // the client answers, so the watcher added next still sees its outcome.
        PlaintextAlertSniffer sniffer = new PlaintextAlertSniffer();
        p.addBefore(ctx.name(), SNIFF, sniffer);
        p.replace(reader, TLS, tls);
        p.addAfter(TLS, WATCH, new InterceptionWatcher(opener.audit(), target, user, clientAddress, plan.hello(), sniffer));
        try {
            opener.exchange().install(p, new Origin(target.host(), target.port(), true), user);
        } catch (RuntimeException e) {
            log.error("the exchange pipeline could not be installed for {}", TunnelAudit.masked(target.authority()), e);
            ctx.channel().close();
        }
    }

    private void relay(ChannelHandlerContext ctx, ClientHelloReader reader, TunnelPlan plan) {
        Channel originChannel = plan.origin();
        TunnelTraffic traffic = new TunnelTraffic(opener.audit(), plan.route(), target, user, clientAddress, origin, plan.hello());
        originChannel.pipeline().addLast(RELAY, new RelayHandler(traffic, client, false));
        // Everything relayed passes through the client channel (read from it or written to it),
        // so "all idle" there means no byte either way.
        long idle = settings().relayIdleTimeout().toMillis();
        ctx.pipeline().addBefore(ctx.name(), IDLE, new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
        ctx.pipeline().replace(reader, RELAY, new RelayHandler(traffic, originChannel, true));
        originChannel.config().setAutoRead(true);
    }

    /** The ClientHello deadline passed. */
    void noClientHello(ChannelHandlerContext ctx) {
        ClientHelloReader reader = (ClientHelloReader) ctx.handler();
        reader.discardInput();
        opener.audit().refused(target.host(), target.port(), user, clientAddress,
                "no ClientHello within " + settings().clientHelloTimeout().toSeconds() + " s");
        ctx.close();
    }

    /** The reader failed: Netty refused the bytes as TLS (it has closed the channel) or the connection broke. */
    void brokenHello(ChannelHandlerContext ctx, Throwable cause) {
        ((ClientHelloReader) ctx.handler()).discardInput();
        if (cause instanceof NotSslRecordException || cause instanceof DecoderException) {
            opener.audit().refused(target.host(), target.port(), user, clientAddress, "malformed TLS ClientHello");
        } else {
            log.debug("tunnel to {} closed while reading the ClientHello: {}", TunnelAudit.masked(target.authority()), cause.toString());
        }
        ctx.close();
    }

    private void refuse(ByteBuf response, String host, int port, String reason) {
        opener.audit().refused(host, port, user, clientAddress, reason);
        ChannelHandlerContext held = client.pipeline().context(HELD);
        held.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
