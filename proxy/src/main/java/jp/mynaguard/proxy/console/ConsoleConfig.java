package jp.mynaguard.proxy.console;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

import io.netty.handler.ssl.SslContext;
import jp.mynaguard.proxy.hold.Role;

/**
 * Everything the console server needs to know besides its collaborators, immutable; built with
 * {@link #builder()} from the defaults in {@link ConsoleLimits} (limits are settable for tests of
 * the limits themselves).
 */
public final class ConsoleConfig {
    private final InetSocketAddress listen;
    private final SslContext tls;
    private final Set<Role> totpRequiredFor;
    private final Duration sessionIdle;
    private final Duration sessionMax;
    private final ZoneId zone;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int maxBodyBytes;
    private final Duration idleTimeout;
    private final Duration requestDeadline;
    private final int workerThreads;
    private final int workerQueue;

    private ConsoleConfig(Builder b) {
        this.listen = Objects.requireNonNull(b.listen, "listen");
        this.tls = b.tls;
        this.totpRequiredFor = Set.copyOf(b.totpRequiredFor);
        this.sessionIdle = b.sessionIdle;
        this.sessionMax = b.sessionMax;
        this.zone = b.zone;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.maxBodyBytes = b.maxBodyBytes;
        this.idleTimeout = b.idleTimeout;
        this.requestDeadline = b.requestDeadline;
        this.workerThreads = b.workerThreads;
        this.workerQueue = b.workerQueue;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress listen() {
        return listen;
    }

    /** {@code null}: plain HTTP (loopback, or behind a TLS-terminating proxy). */
    public SslContext tls() {
        return tls;
    }

    public Set<Role> totpRequiredFor() {
        return totpRequiredFor;
    }

    public Duration sessionIdle() {
        return sessionIdle;
    }

    public Duration sessionMax() {
        return sessionMax;
    }

    /** Times on pages and the days of the admin's date filters. */
    public ZoneId zone() {
        return zone;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration requestDeadline() {
        return requestDeadline;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int workerQueue() {
        return workerQueue;
    }

    public static final class Builder {
        private InetSocketAddress listen;
        private SslContext tls;
        private Set<Role> totpRequiredFor = Set.of();
        private Duration sessionIdle = ConsoleLimits.SESSION_IDLE;
        private Duration sessionMax = ConsoleLimits.SESSION_MAX;
        private ZoneId zone = ZoneId.systemDefault();
        private int maxConnections = ConsoleLimits.MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = ConsoleLimits.MAX_CONNECTIONS_PER_ADDRESS;
        private int maxBodyBytes = ConsoleLimits.MAX_BODY_BYTES;
        private Duration idleTimeout = ConsoleLimits.IDLE_TIMEOUT;
        private Duration requestDeadline = ConsoleLimits.REQUEST_DEADLINE;
        private int workerThreads = ConsoleLimits.WORKER_THREADS;
        private int workerQueue = ConsoleLimits.WORKER_QUEUE;

        private Builder() {
        }

        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder tls(SslContext context) {
            this.tls = context;
            return this;
        }

        /** Sessions, second factor and listen address from gateway.yaml's {@code console:} (TLS is built by the caller). */
        public Builder settings(ConsoleSettings s) {
            this.listen = new InetSocketAddress(s.listenHost(), s.listenPort());
            this.totpRequiredFor = s.totpRequiredFor();
            this.sessionIdle = s.sessionIdle();
            this.sessionMax = s.sessionMax();
            return this;
        }

        public Builder totpRequiredFor(Set<Role> roles) {
            this.totpRequiredFor = Set.copyOf(roles);
            return this;
        }

        public Builder sessions(Duration idle, Duration max) {
            this.sessionIdle = Objects.requireNonNull(idle, "idle");
            this.sessionMax = Objects.requireNonNull(max, "max");
            return this;
        }

        public Builder zone(ZoneId z) {
            this.zone = Objects.requireNonNull(z, "zone");
            return this;
        }

        public Builder connections(int total, int perAddress) {
            if (total < 1 || perAddress < 1) {
                throw new IllegalArgumentException("connection limits must be positive");
            }
            this.maxConnections = total;
            this.maxConnectionsPerAddress = perAddress;
            return this;
        }

        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("the body limit must be at least 1 KiB");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder timeouts(Duration idle, Duration request) {
            this.idleTimeout = Objects.requireNonNull(idle, "idle");
            this.requestDeadline = Objects.requireNonNull(request, "request");
            return this;
        }

        public Builder workers(int threads, int queue) {
            if (threads < 1 || queue < 1) {
                throw new IllegalArgumentException("workers and queue must be positive");
            }
            this.workerThreads = threads;
            this.workerQueue = queue;
            return this;
        }

        public ConsoleConfig build() {
            return new ConsoleConfig(this);
        }
    }
}
