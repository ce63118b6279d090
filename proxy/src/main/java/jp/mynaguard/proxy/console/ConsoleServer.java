package jp.mynaguard.proxy.console;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import jp.mynaguard.proxy.io.ServerThreads;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval console: HTTP/1.1 (HTTPS beyond loopback) on its own listener, pages for senders,
 * approvers and admins and the same actions as a JSON API, all over {@link HoldWorkflow}.
 * Started with {@link #builder(ConsoleConfig)}; {@link #close()} stops it.
 *
 * <p>Paths outside the console (metrics, health checks) plug in with {@link Builder#mount}: such
 * a handler sits in front of the console in every connection's pipeline, receives each
 * {@link io.netty.handler.codec.http.FullHttpRequest}, answers the paths it owns and passes the
 * rest on with {@code ctx.fireChannelRead(msg)}. It gets the listener's limits, timeouts, TLS
 * and security headers, and no console authentication.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);

    /** A handler mounted in front of the console; a new instance per connection unless it is {@code @Sharable}. */
    public record Mount(String name, Supplier<? extends ChannelHandler> handler) {
        public Mount {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(handler, "handler");
        }
    }

    private final ConsoleConfig config;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ThreadPoolExecutor workers;
    private final Channel listener;
    private final ConsoleConnectionLimiter limiter;
    private final SessionStore sessions;

    private ConsoleServer(Builder b) throws InterruptedException {
        this.config = b.config;
        this.sessions = new SessionStore(b.clock, config.sessionIdle(), config.sessionMax(), ConsoleLimits.MAX_SESSIONS);
        ConsoleApp app = app(config, b.users, b.workflow, b.policy, b.clock, sessions, b.audit);
        this.workers = ServerThreads.workerPool("mynaguard-console", config.workerThreads(), config.workerQueue());
        this.limiter = new ConsoleConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress());
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(b.ioThreads, NioIoHandler.newFactory());
        try {
            this.listener = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ConsoleChannelInitializer(config, limiter, app, workers, b.mounts))
                    .bind(config.listen()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            ServerThreads.shutdown(workers, io, boss);
            throw e;
        }
        log.info("console listening on {}://{}", config.tls() != null ? "https" : "http",
                format(localAddress()));
    }

    /** The console without the network: what each request runs through (also for EmbeddedChannel tests). */
    static ConsoleApp app(ConsoleConfig config, SmtpUsers users, HoldWorkflow workflow, PolicyStatus.Source policy,
                          Clock clock, SessionStore sessions, AuditSink audit) {
        ConsoleAuth auth = new ConsoleAuth(users, config.totpRequiredFor(), sessions, LoginThrottle.defaults(clock), clock);
        ConsoleActions actions = new ConsoleActions(workflow, policy, users, config.zone());
        return new ConsoleApp(auth, actions, new Display(config.zone()), clock, audit);
    }

    public static Builder builder(ConsoleConfig config) {
        return new Builder(config);
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** {@code http://HOST:PORT} or {@code https://...}: what to open in a browser. */
    public String url() {
        return (config.tls() != null ? "https://" : "http://") + format(localAddress());
    }

    /** Open connections (for metrics). */
    public int openConnections() {
        return limiter.open();
    }

    /** Live sessions (for metrics). */
    public int sessions() {
        return sessions.size();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        ServerThreads.shutdown(workers, io, boss);
        log.info("console stopped");
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public static final class Builder {
        private final ConsoleConfig config;
        private SmtpUsers users;
        private HoldWorkflow workflow;
        private PolicyStatus.Source policy;
        private Clock clock = Clock.systemUTC();
        private AuditSink audit = AuditSink.NONE;
        private int ioThreads = 1;
        private final List<Mount> mounts = new ArrayList<>();

        private Builder(ConsoleConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Users, passwords, roles, TOTP secrets and API tokens (the users file, re-read when it changes). */
        public Builder users(SmtpUsers u) {
            this.users = Objects.requireNonNull(u, "users");
            return this;
        }

        public Builder workflow(HoldWorkflow w) {
            this.workflow = Objects.requireNonNull(w, "workflow");
            return this;
        }

        public Builder policy(PolicyStatus.Source p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        /** Where logins, failed logins and logouts are recorded (decisions are the workflow's to record). */
        public Builder audit(AuditSink sink) {
            this.audit = Objects.requireNonNull(sink, "audit");
            return this;
        }

        /** Session expiry, TOTP steps, login windows (tests move it). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Event loop threads; people with browsers, not a mail flood: one is plenty by default. */
        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("at least one I/O thread");
            }
            this.ioThreads = n;
            return this;
        }

        /** Mounts a handler for paths outside the console, in front of it (see the class comment). */
        public Builder mount(String name, Supplier<? extends ChannelHandler> handler) {
            this.mounts.add(new Mount(name, handler));
            return this;
        }

        public ConsoleServer start() throws InterruptedException {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(workflow, "workflow");
            Objects.requireNonNull(policy, "policy");
            return new ConsoleServer(this);
        }
    }
}
