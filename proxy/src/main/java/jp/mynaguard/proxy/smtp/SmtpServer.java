package jp.mynaguard.proxy.smtp;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import jp.mynaguard.proxy.io.ServerBuilder;
import jp.mynaguard.proxy.io.ServerThreads;
import jp.mynaguard.proxy.hold.HoldEvents;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.ops.GatewayMetrics;
import jp.mynaguard.proxy.io.NettyTransport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server clients submit to. Started with {@link #builder(SmtpServerConfig)}; stopped
 * gracefully with {@link #stop(Duration)}: the listener closes first (new connections are
 * refused), open transactions get the grace period to finish, idle and remaining sessions are
 * answered {@code 421}.
 */
public final class SmtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final SmtpServerConfig config;
    private final ServerThreads threads;
    private final ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    private final ConnectionLimiter limiter;
    private volatile boolean stopped;

    private SmtpServer(Builder b, ServerThreads threads) throws InterruptedException {
        preferAngusStreams();
        this.config = b.config;
        this.threads = threads;
        ThreadPoolExecutor workers = threads.workers();
        MessageProcessor processor = b.processor != null ? b.processor
                : new SmtpAudit(b.audit, new PolicyProcessor(config, b.policy, b.holdStore, b.upstream, workers, b.clock,
                        b.metrics, b.holdEvents, b.audit));
        SmtpServices services = new SmtpServices(config, b.upstream, processor, workers, b.clock, b.metrics);
        this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress(), config.hostname(),
                b.metrics);
        b.metrics.openConnections(GatewayMetrics.Listener.SMTP, limiter::open);
        try {
            // Reads happen only when the session asks for the next frame (SmtpFrameDecoder).
            this.listener = threads.bind(config.listen(), new SmtpChannelInitializer(services, limiter, sessions));
        } catch (InterruptedException | RuntimeException e) {
            threads.shutdown();
            throw e;
        }
        log.info("SMTP listening on {} ({})", listener.localAddress(), NettyTransport.name());
    }

    public static Builder builder(SmtpServerConfig config) {
        return new Builder(config);
    }

    /**
     * jakarta.mail looks its {@code StreamProvider} up for every header block it parses; without
     * this property that is a {@link java.util.ServiceLoader} scan of the class path per message
     * (it showed in profiles of the relay). Naming the implementation makes it a plain class load.
     */
    static void preferAngusStreams() {
        String key = "jakarta.mail.util.StreamProvider";
        if (System.getProperty(key) == null) {
            try {
                Class.forName("org.eclipse.angus.mail.util.MailStreamProvider");
                System.setProperty(key, "org.eclipse.angus.mail.util.MailStreamProvider");
            } catch (ClassNotFoundException e) {
                // Another implementation: leave the lookup to jakarta.mail.
            }
        }
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Open client connections. */
    public int openConnections() {
        return limiter.open();
    }

    /**
     * Stops: refuses new connections, lets open transactions finish within {@code grace}, then
     * answers 421 to what is left and releases the threads. Idempotent.
     */
    public void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        listener.close().syncUninterruptibly();
        log.info("SMTP stopping: {} open sessions get up to {} to finish", sessions.size(), grace);
        sessions.forEach(ch -> ch.pipeline().fireUserEventTriggered(ShutdownEvent.GRACEFUL));
        if (!ServerThreads.awaitClosed(sessions, grace)) {
            log.info("SMTP stopping: {} sessions still open after the grace period, answering 421", sessions.size());
            sessions.forEach(ch -> ch.pipeline().fireUserEventTriggered(ShutdownEvent.NOW));
            ServerThreads.closeAll(sessions);
        }
        threads.shutdown();
        log.info("SMTP stopped");
    }

    @Override
    public void close() {
        stop(config.shutdownGrace());
    }

    public static final class Builder extends ServerBuilder<Builder> {
        private final SmtpServerConfig config;
        private Upstream upstream;
        private HoldStore holdStore;
        private HoldEvents holdEvents = HoldEvents.NONE;
        private Supplier<PolicySnapshot> policy;
        private MessageProcessor processor;
        private AuditSink audit = AuditSink.NONE;
        private Clock clock = Clock.systemDefaultZone();
        private GatewayMetrics metrics = new GatewayMetrics();

        private Builder(SmtpServerConfig config) {
            super(SmtpLimits.WORKER_THREADS, SmtpLimits.WORKER_QUEUE);
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Where allowed mail and notices go. */
        public Builder upstream(Upstream upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            return this;
        }

        public Builder holdStore(HoldStore store) {
            this.holdStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Told about approvals refused for want of an approver (the workflow notifies the admins). */
        public Builder holdEvents(HoldEvents events) {
            this.holdEvents = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The active policy; read once per message (hot reload swaps what it returns). */
        public Builder policy(Supplier<PolicySnapshot> policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where decisions, scan times, connections and TLS failures are counted (the gateway's). */
        public Builder metrics(GatewayMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Where every decision is recorded; while it takes no records, messages get 451 (fail closed). */
        public Builder audit(AuditSink audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Replaces scan-and-decide (tests of the protocol alone). */
        Builder processor(MessageProcessor processor) {
            this.processor = processor;
            return this;
        }

        public SmtpServer start() throws InterruptedException {
            Objects.requireNonNull(upstream, "upstream");
            if (processor == null) {
                Objects.requireNonNull(holdStore, "holdStore");
                Objects.requireNonNull(policy, "policy");
            }
            return new SmtpServer(this, startThreads("mynaguard-smtp-worker"));
        }
    }
}
