package jp.mynaguard.proxy.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.SocketChannel;
import jp.mynaguard.proxy.io.NettyTransport;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import jp.mynaguard.certs.HostCertificates;
import jp.mynaguard.proxy.audit.AuditSink;

/**
 * The proxy's {@link ConnectTunnels}: takes a client connection over from the request router at its
 * CONNECT request and runs a {@link TunnelSession} on it. What the router must do, and what this
 * does to its pipeline:
 * <ol>
 *   <li>{@link #open} stops reading, puts a byte holder right behind the HTTP decoder (so bytes
 *       that arrived with the CONNECT are kept) and returns at once;</li>
 *   <li>the router then removes its HTTP codec handlers before its {@code channelRead} returns;</li>
 *   <li>one event-loop task later the session removes the router itself (the connection is a
 *       tunnel now), answers, and installs its own handlers; for an intercepted tunnel it calls
 *       {@link ExchangePipeline#install} once the SslHandler is in place, so handlers the exchange
 *       pipeline adds at the end receive the decrypted bytes.</li>
 * </ol>
 * Close it to stop its worker threads (DNS lookups, certificate minting).
 */
public final class TunnelOpener implements ConnectTunnels, AutoCloseable {
    /** Looks a host up (blocking: it runs on a worker thread). IP literals come back as themselves. */
    @FunctionalInterface
    public interface Resolver {
        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

        List<InetAddress> resolve(String host) throws UnknownHostException;

        /** Test and lab names first (e.g. {@code upload.example.test} → loopback), then {@code fallback}. */
        static Resolver withNames(Map<String, InetAddress> names, Resolver fallback) {
            Map<String, InetAddress> copy = Map.copyOf(names);
            return host -> copy.containsKey(host) ? List.of(copy.get(host)) : fallback.resolve(host);
        }
    }

    /** Opens the TCP connection of a relayed tunnel; the channel it completes with does not read yet. */
    @FunctionalInterface
    public interface OriginConnector {
        Future<Channel> connect(Channel client, InetSocketAddress address, Duration timeout);
    }

    private final TunnelSettings settings;
    private final DestinationGuard guard;
    private final ExchangePipeline exchange;
    private final TunnelAudit audit;
    private final Resolver resolver;
    private final OriginConnector connector;
    private final Executor workers;
    private final ExecutorService ownedWorkers;
    private final InterceptionContexts contexts;

    private TunnelOpener(Builder b) {
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.guard = Objects.requireNonNull(b.guard, "guard");
        this.exchange = Objects.requireNonNull(b.exchange, "exchange");
        this.audit = new TunnelAudit(Objects.requireNonNull(b.audit, "audit"));
        this.resolver = Objects.requireNonNull(b.resolver, "resolver");
        this.connector = Objects.requireNonNull(b.connector, "connector");
        if (b.workers != null) {
            this.workers = b.workers;
            this.ownedWorkers = null;
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(),
                    30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DefaultThreadFactory("mynaguard-tunnel-worker", true));
            pool.allowCoreThreadTimeOut(true);
            this.workers = pool;
            this.ownedWorkers = pool;
        }
        this.contexts = new InterceptionContexts(Objects.requireNonNull(b.certificates, "certificates"),
                settings.tlsContextCacheSize(), workers);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void open(ChannelHandlerContext ctx, HttpRequest connect, ProxyUser user) {
        if (!HttpMethod.CONNECT.equals(connect.method())) {
            throw new IllegalArgumentException("not a CONNECT request: " + connect.method());
        }
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        ChannelPipeline p = ctx.pipeline();
        String decoder = httpDecoderName(p);
        if (decoder != null) {
            p.addAfter(decoder, TunnelSession.HELD, new HeldBytes());
        } else {
            p.addBefore(ctx.name(), TunnelSession.HELD, new HeldBytes());
        }
        TunnelSession session = new TunnelSession(this, ch, connect.uri(), user == null ? ProxyUser.ANONYMOUS : user, ctx.handler());
        ch.eventLoop().execute(session::begin);
    }

    /** The HTTP request decoder's name: the held bytes must sit right behind it to receive its leftovers. */
    private static String httpDecoderName(ChannelPipeline p) {
        for (Map.Entry<String, ChannelHandler> e : p) {
            if (e.getValue() instanceof HttpServerCodec || e.getValue() instanceof HttpObjectDecoder) {
                return e.getKey();
            }
        }
        return null;
    }

    TunnelSettings settings() {
        return settings;
    }

    DestinationGuard guard() {
        return guard;
    }

    ExchangePipeline exchange() {
        return exchange;
    }

    TunnelAudit audit() {
        return audit;
    }

    Resolver resolver() {
        return resolver;
    }

    OriginConnector connector() {
        return connector;
    }

    Executor workers() {
        return workers;
    }

    InterceptionContexts contexts() {
        return contexts;
    }

    @Override
    public void close() {
        if (ownedWorkers != null) {
            ownedWorkers.shutdownNow();
        }
    }

    /** Connects on the client's event loop with the same kind of socket channel (NIO, epoll...). */
    static Future<Channel> connectOnClientLoop(Channel client, InetSocketAddress address, Duration timeout) {
        Bootstrap b = new Bootstrap()
                .group(client.eventLoop())
                .channelFactory(socketChannelLike(client))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter());
        Promise<Channel> p = client.eventLoop().newPromise();
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            if (done.isSuccess()) {
                p.trySuccess(f.channel());
            } else {
                p.tryFailure(done.cause());
            }
        });
        return p;
    }

    @SuppressWarnings("unchecked")
    private static ChannelFactory<Channel> socketChannelLike(Channel client) {
        if (client instanceof SocketChannel) {
            return new ReflectiveChannelFactory<>((Class<Channel>) client.getClass());
        }
        return new ReflectiveChannelFactory<>((Class<Channel>) (Class<?>) NettyTransport.socketChannel());
    }

    public static final class Builder {
        private TunnelSettings settings = TunnelSettings.DEFAULTS;
        private DestinationGuard guard = new DestinationGuard(false);
        private HostCertificates certificates;
        private ExchangePipeline exchange;
        private AuditSink audit = AuditSink.NONE;
        private Resolver resolver = Resolver.SYSTEM;
        private OriginConnector connector = TunnelOpener::connectOnClientLoop;
        private Executor workers;

        private Builder() {
        }

        public Builder settings(TunnelSettings s) {
            this.settings = s;
            return this;
        }

        public Builder guard(DestinationGuard g) {
            this.guard = g;
            return this;
        }

        /** The minted leaves for intercepted hosts (a {@link jp.mynaguard.certs.LeafCertificateCache} in production). */
        public Builder certificates(HostCertificates c) {
            this.certificates = c;
            return this;
        }

        public Builder exchange(ExchangePipeline e) {
            this.exchange = e;
            return this;
        }

        public Builder audit(AuditSink a) {
            this.audit = a;
            return this;
        }

        public Builder resolver(Resolver r) {
            this.resolver = r;
            return this;
        }

        public Builder connector(OriginConnector c) {
            this.connector = c;
            return this;
        }

        /** Where DNS lookups and minting run; default: an own pool of {@link TunnelSettings#workerThreads()}. */
        public Builder workers(Executor e) {
            this.workers = e;
            return this;
        }

        public TunnelOpener build() {
            return new TunnelOpener(this);
        }
    }
}
