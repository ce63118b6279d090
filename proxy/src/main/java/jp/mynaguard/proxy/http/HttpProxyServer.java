package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import jp.mynaguard.proxy.io.ServerBuilder;
import jp.mynaguard.proxy.io.ServerThreads;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.smtp.PolicySnapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP forward proxy browsers and upload tools are pointed at: absolute-form {@code http://}
 * requests are inspected and forwarded, CONNECT goes to the configured {@link ConnectTunnels}
 * (which hands intercepted HTTPS back through {@link #exchangePipeline()}). Started with
 * {@link #builder(HttpProxyConfig)}; {@link #stop(Duration)} closes the listener, gives open
 * requests the grace period, then closes what is left.
 */
public final class HttpProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpProxyServer.class);

    private final HttpProxyConfig config;
    private final ServerThreads threads;
    private final ChannelGroup connections = new DefaultChannelGroup("http-connections", GlobalEventExecutor.INSTANCE);
    private final ClientConnectionLimiter limiter;
    private final ProxyServices services;
    private final Channel listener;
    private volatile boolean stopped;

    private HttpProxyServer(Builder b, ServerThreads threads)
            throws IOException, GeneralSecurityException, InterruptedException {
        this.config = b.config;
        this.threads = threads;
        ThreadPoolExecutor workers = threads.workers();
        this.limiter = new ClientConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress(), b.metrics);
        b.metrics.openConnections(jp.mynaguard.proxy.ops.GatewayMetrics.Listener.HTTP, limiter::open);
        try {
            OriginConnector connector = new OriginConnector(config, OriginTls.clientContext(config.upstreamTrust()), workers);
            BodyMemory bodyMemory = new BodyMemory(config.memoryBodyBytes(), config.memoryBodiesBytes());
            b.metrics.bodyMemory(bodyMemory::used, bodyMemory::kept);
            long trim = HttpProxyLimits.KEPT_BLOCKS_TRIM.toMillis();
            threads.boss().scheduleAtFixedRate(bodyMemory::trimIdle, trim, trim, TimeUnit.MILLISECONDS);
            ProxyServices[] self = new ProxyServices[1];
            ExchangePipeline exchange = (pipeline, origin, user) -> installInTunnel(self[0], pipeline, origin, user);
            ConnectTunnels tunnels = b.tunnels == null ? null : b.tunnels.apply(exchange);
            this.services = new ProxyServices(config, workers, new ProxyAuthenticator(config, workers),
                    new UploadDecider(config, b.policy, b.holdStore, b.audit, b.clock, b.metrics, bodyMemory), connector,
                    new ApprovalRequests(b.holdStore, b.audit), b.audit, tunnels, bodyMemory);
            self[0] = services;
            this.listener = threads.bind(config.listen(), new ProxyChannelInitializer(services, limiter, connections));
        } catch (IOException | GeneralSecurityException | InterruptedException | RuntimeException e) {
            threads.shutdown();
            throw e;
        }
        log.info("HTTP proxy listening on {}{}", listener.localAddress(),
                services.tunnels() == null ? " (CONNECT not configured)" : "");
    }

    private static void installInTunnel(ProxyServices services, io.netty.channel.ChannelPipeline p, Origin origin,
                                        ProxyUser user) {
        Objects.requireNonNull(origin, "origin");
        ProxyChannelInitializer.install(p, services, origin, user == null ? ProxyUser.ANONYMOUS : user);
        p.channel().config().setAutoRead(false);
        p.channel().read();
    }

    public static Builder builder(HttpProxyConfig config) {
        return new Builder(config);
    }

    /** Installs inspection on an intercepted tunnel's decrypted pipeline (for {@link ConnectTunnels}). */
    public ExchangePipeline exchangePipeline() {
        return (pipeline, origin, user) -> installInTunnel(services, pipeline, origin, user);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Open client connections. */
    public int openConnections() {
        return limiter.open();
    }

    /** Stops: no new connections, open ones get {@code grace} to finish, then are closed. Idempotent. */
    public void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        listener.close().syncUninterruptibly();
        ServerThreads.awaitClosed(connections, grace);
        ServerThreads.closeAll(connections);
        threads.shutdown();
        services.bodyMemory().close();
        log.info("HTTP proxy stopped");
    }

    @Override
    public void close() {
        stop(config.shutdownGrace());
    }

    public static final class Builder extends ServerBuilder<Builder> {
        private final HttpProxyConfig config;
        private Supplier<PolicySnapshot> policy;
        private HoldStore holdStore;
        private AuditSink audit = AuditSink.NONE;
        private jp.mynaguard.proxy.ops.GatewayMetrics metrics = new jp.mynaguard.proxy.ops.GatewayMetrics();
        private Function<ExchangePipeline, ConnectTunnels> tunnels;
        private Clock clock = Clock.systemDefaultZone();

        private Builder(HttpProxyConfig config) {
            super(HttpProxyLimits.WORKER_THREADS, HttpProxyLimits.WORKER_QUEUE);
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The active policy; read once per request (hot reload swaps what it returns). */
        public Builder policy(Supplier<PolicySnapshot> policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder holdStore(HoldStore store) {
            this.holdStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where uploads, findings, scan times and connections are counted (the gateway's). */
        public Builder metrics(jp.mynaguard.proxy.ops.GatewayMetrics m) {
            this.metrics = Objects.requireNonNull(m, "metrics");
            return this;
        }

        public Builder audit(AuditSink sink) {
            this.audit = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * What answers CONNECT, made from the pipeline installer it hands decrypted tunnels to.
         * Without it CONNECT is answered 501.
         */
        public Builder tunnels(Function<ExchangePipeline, ConnectTunnels> factory) {
            this.tunnels = factory;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IOException              when the upstream trust file cannot be read
         * @throws GeneralSecurityException when it holds no usable certificate
         */
        public HttpProxyServer start() throws IOException, GeneralSecurityException, InterruptedException {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(holdStore, "holdStore");
            return new HttpProxyServer(this, startThreads("mynaguard-http-worker"));
        }
    }
}
