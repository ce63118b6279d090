package jp.mynaguard.proxy.http;

import static jp.mynaguard.proxy.io.Checks.positive;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import jp.mynaguard.proxy.io.ListenerConfig;
import jp.mynaguard.proxy.io.ListenerConfigBuilder;
import jp.mynaguard.proxy.smtp.Cidr;

/**
 * Everything the HTTP proxy needs to know, immutable; built with {@link #builder()} from the
 * defaults in {@link HttpProxyLimits}. Shared by all connections. What it has in common with the
 * SMTP server (listen address, connection caps, users, spooling...) is in {@link ListenerConfig}.
 */
public final class HttpProxyConfig extends ListenerConfig {
    private final int maxRequestLine;
    private final int maxHeadBytes;
    private final int maxHeaderFields;
    private final long maxBodyBytes;
    private final long memoryBodyBytes;
    private final long memoryBodiesBytes;
    private final Duration headDeadline;
    private final long minBodyBytesPerSecond;
    private final Duration bodyRateWindow;
    private final Duration originConnectTimeout;
    private final Duration originResponseTimeout;
    private final Duration approvalWindow;
    private final boolean requireAuth;
    private final DestinationGuard destinations;
    private final Set<Integer> deniedPorts;
    private final Path upstreamTrust;
    private final List<String> websocketHosts;
    private final String contact;

    private HttpProxyConfig(Builder b) {
        super(b);
        this.maxRequestLine = b.maxRequestLine;
        this.maxHeadBytes = b.maxHeadBytes;
        this.maxHeaderFields = b.maxHeaderFields;
        this.maxBodyBytes = b.maxBodyBytes;
        this.memoryBodyBytes = b.memoryBodyBytes;
        this.memoryBodiesBytes = b.memoryBodiesBytes;
        this.headDeadline = b.headDeadline;
        this.minBodyBytesPerSecond = b.minBodyBytesPerSecond;
        this.bodyRateWindow = b.bodyRateWindow;
        this.originConnectTimeout = b.originConnectTimeout;
        this.originResponseTimeout = b.originResponseTimeout;
        this.approvalWindow = b.approvalWindow;
        this.requireAuth = b.requireAuth;
        this.destinations = new DestinationGuard(b.allowPrivateDestinations);
        this.deniedPorts = Set.copyOf(b.deniedPorts);
        this.upstreamTrust = b.upstreamTrust;
        this.websocketHosts = List.copyOf(b.websocketHosts);
        this.contact = b.contact;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxRequestLine() { return maxRequestLine; }
    public int maxHeadBytes() { return maxHeadBytes; }
    public int maxHeaderFields() { return maxHeaderFields; }
    public long maxBodyBytes() { return maxBodyBytes; }
    /** A body up to this is kept in memory blocks (when {@link #memoryBodiesBytes} allows), else in a spool file. */
    public long memoryBodyBytes() { return memoryBodyBytes; }
    /** Memory all bodies kept in memory may hold at once. */
    public long memoryBodiesBytes() { return memoryBodiesBytes; }
    public Duration headDeadline() { return headDeadline; }
    public long minBodyBytesPerSecond() { return minBodyBytesPerSecond; }
    public Duration bodyRateWindow() { return bodyRateWindow; }
    public Duration originConnectTimeout() { return originConnectTimeout; }
    public Duration originResponseTimeout() { return originResponseTimeout; }
    public Duration approvalWindow() { return approvalWindow; }
    /** Whether every client must present Proxy-Authorization or be mapped to a user by its address. */
    public boolean requireAuth() { return requireAuth; }
    /** Clients that may use the proxy without credentials or a mapping (default loopback). */
    public List<Cidr> anonymousNetworks() { return networksWithoutAuth(); }
    public DestinationGuard destinations() { return destinations; }
    public Set<Integer> deniedPorts() { return deniedPorts; }
    /** Extra PEM bundle of origin CAs trusted besides the JDK's; {@code null} when none. */
    public Path upstreamTrust() { return upstreamTrust; }
    /** Host patterns ({@code example.com}, {@code *.example.com}) to which WebSocket upgrades may pass, uninspected. */
    public List<String> websocketHosts() { return websocketHosts; }
    /** Whom users are told to contact on block pages; {@code null} = the policy's security team. */
    public String contact() { return contact; }

    public boolean isAnonymousClient(InetAddress address) {
        return needsNoAuth(address);
    }

    /** Whether WebSocket upgrades to {@code host} may pass (not inspected). */
    public boolean websocketAllowed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String p : websocketHosts) {
            if (p.equals(h) || p.startsWith("*.") && h.endsWith(p.substring(1))) {
                return true;
            }
        }
        return false;
    }

    public static final class Builder extends ListenerConfigBuilder<Builder> {
        private int maxRequestLine = HttpProxyLimits.MAX_REQUEST_LINE;
        private int maxHeadBytes = HttpProxyLimits.MAX_HEAD_BYTES;
        private int maxHeaderFields = HttpProxyLimits.MAX_HEADER_FIELDS;
        private long maxBodyBytes = HttpProxyLimits.MAX_BODY_BYTES;
        private long memoryBodyBytes = HttpProxyLimits.MEMORY_BODY_BYTES;
        private long memoryBodiesBytes = HttpProxyLimits.MEMORY_BODIES_BYTES;
        private Duration headDeadline = HttpProxyLimits.HEAD_DEADLINE;
        private long minBodyBytesPerSecond = HttpProxyLimits.MIN_BODY_BYTES_PER_SECOND;
        private Duration bodyRateWindow = HttpProxyLimits.BODY_RATE_WINDOW;
        private Duration originConnectTimeout = HttpProxyLimits.ORIGIN_CONNECT_TIMEOUT;
        private Duration originResponseTimeout = HttpProxyLimits.ORIGIN_RESPONSE_TIMEOUT;
        private Duration approvalWindow = HttpProxyLimits.APPROVAL_WINDOW;
        private boolean requireAuth;
        private boolean allowPrivateDestinations;
        private final Set<Integer> deniedPorts = new LinkedHashSet<>(HttpProxyLimits.DENIED_PORTS);
        private Path upstreamTrust;
        private final List<String> websocketHosts = new ArrayList<>();
        private String contact;

        private Builder() {
            super(3128, HttpProxyLimits.MAX_CONNECTIONS, HttpProxyLimits.MAX_CONNECTIONS_PER_ADDRESS,
                    HttpProxyLimits.IDLE_TIMEOUT, HttpProxyLimits.MAX_AUTH_FAILURES, HttpProxyLimits.DECISION_TIMEOUT,
                    HttpProxyLimits.SHUTDOWN_GRACE);
        }

        public Builder maxRequestLine(int bytes) {
            this.maxRequestLine = positive(bytes, "maxRequestLine");
            return this;
        }

        public Builder maxHeadBytes(int bytes) {
            this.maxHeadBytes = positive(bytes, "maxHeadBytes");
            return this;
        }

        public Builder maxHeaderFields(int n) {
            this.maxHeaderFields = positive(n, "maxHeaderFields");
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = positive(bytes, "maxBodyBytes");
            return this;
        }

        /** Per body and for all bodies at once: what is kept in memory blocks rather than in spool files. */
        public Builder bodyMemory(long perBody, long allBodies) {
            this.memoryBodyBytes = positive(perBody, "memoryBodyBytes");
            this.memoryBodiesBytes = positive(allBodies, "memoryBodiesBytes");
            return this;
        }

        public Builder headDeadline(Duration d) {
            this.headDeadline = positive(d, "headDeadline");
            return this;
        }

        /** The minimum average body rate, measured over {@code window}. */
        public Builder minBodyRate(long bytesPerSecond, Duration window) {
            this.minBodyBytesPerSecond = positive(bytesPerSecond, "minBodyBytesPerSecond");
            this.bodyRateWindow = positive(window, "bodyRateWindow");
            return this;
        }

        public Builder originConnectTimeout(Duration d) {
            this.originConnectTimeout = positive(d, "originConnectTimeout");
            return this;
        }

        public Builder originResponseTimeout(Duration d) {
            this.originResponseTimeout = positive(d, "originResponseTimeout");
            return this;
        }

        public Builder approvalWindow(Duration d) {
            this.approvalWindow = positive(d, "approvalWindow");
            return this;
        }

        public Builder requireAuth(boolean required) {
            this.requireAuth = required;
            return this;
        }

        /** Replaces the networks that may use the proxy without credentials (default loopback; empty = none). */
        public Builder anonymousNetworks(List<Cidr> networks) {
            return networksWithoutAuth(networks);
        }

        /** Labs and tests on loopback: origins in private and loopback ranges may be reached. */
        public Builder allowPrivateDestinations(boolean allow) {
            this.allowPrivateDestinations = allow;
            return this;
        }

        /** Replaces the ports plain-HTTP requests are never sent to. */
        public Builder deniedPorts(Set<Integer> ports) {
            this.deniedPorts.clear();
            this.deniedPorts.addAll(ports);
            return this;
        }

        public Builder upstreamTrust(Path pemBundle) {
            this.upstreamTrust = pemBundle;
            return this;
        }

        public Builder websocketHost(String pattern) {
            String p = Objects.requireNonNull(pattern, "pattern").trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty() || p.indexOf('*') > 0 || p.indexOf('*') == 0 && !p.startsWith("*.")) {
                throw new IllegalArgumentException("a host or *.domain expected: " + pattern);
            }
            this.websocketHosts.add(p);
            return this;
        }

        public Builder contact(String contact) {
            this.contact = contact == null || contact.isBlank() ? null : contact.strip();
            return this;
        }

        public HttpProxyConfig build() {
            if (maxRequestLine > maxHeadBytes) {
                throw new IllegalArgumentException("maxRequestLine must not exceed maxHeadBytes");
            }
            return new HttpProxyConfig(this);
        }
    }
}
