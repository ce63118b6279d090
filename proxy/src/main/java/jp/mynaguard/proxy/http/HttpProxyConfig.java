package jp.mynaguard.proxy.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import jp.mynaguard.proxy.smtp.Cidr;
import jp.mynaguard.proxy.smtp.SmtpServerConfig.ClientMapping;
import jp.mynaguard.proxy.smtp.SmtpUsers;

/**
 * Everything the HTTP proxy needs to know, immutable; built with {@link #builder()} from the
 * defaults in {@link HttpProxyLimits}. Shared by all connections.
 */
public final class HttpProxyConfig {
    private final InetSocketAddress listen;
    private final int maxRequestLine;
    private final int maxHeadBytes;
    private final int maxHeaderFields;
    private final long maxBodyBytes;
    private final int spoolThreshold;
    private final Path spoolDirectory;
    private final Duration headDeadline;
    private final Duration idleTimeout;
    private final long minBodyBytesPerSecond;
    private final Duration bodyRateWindow;
    private final Duration originConnectTimeout;
    private final Duration originResponseTimeout;
    private final Duration decisionTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Duration approvalWindow;
    private final int maxAuthFailures;
    private final Duration shutdownGrace;
    private final SmtpUsers users;
    private final boolean requireAuth;
    private final List<Cidr> anonymousNetworks;
    private final List<ClientMapping> clientUsers;
    private final DestinationGuard destinations;
    private final Set<Integer> deniedPorts;
    private final Path upstreamTrust;
    private final List<String> websocketHosts;
    private final String contact;

    private HttpProxyConfig(Builder b) {
        this.listen = b.listen;
        this.maxRequestLine = b.maxRequestLine;
        this.maxHeadBytes = b.maxHeadBytes;
        this.maxHeaderFields = b.maxHeaderFields;
        this.maxBodyBytes = b.maxBodyBytes;
        this.spoolThreshold = b.spoolThreshold;
        this.spoolDirectory = b.spoolDirectory;
        this.headDeadline = b.headDeadline;
        this.idleTimeout = b.idleTimeout;
        this.minBodyBytesPerSecond = b.minBodyBytesPerSecond;
        this.bodyRateWindow = b.bodyRateWindow;
        this.originConnectTimeout = b.originConnectTimeout;
        this.originResponseTimeout = b.originResponseTimeout;
        this.decisionTimeout = b.decisionTimeout;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.approvalWindow = b.approvalWindow;
        this.maxAuthFailures = b.maxAuthFailures;
        this.shutdownGrace = b.shutdownGrace;
        this.users = b.users;
        this.requireAuth = b.requireAuth;
        this.anonymousNetworks = List.copyOf(b.anonymousNetworks);
        this.clientUsers = List.copyOf(b.clientUsers);
        this.destinations = new DestinationGuard(b.allowPrivateDestinations);
        this.deniedPorts = Set.copyOf(b.deniedPorts);
        this.upstreamTrust = b.upstreamTrust;
        this.websocketHosts = List.copyOf(b.websocketHosts);
        this.contact = b.contact;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress listen() { return listen; }
    public int maxRequestLine() { return maxRequestLine; }
    public int maxHeadBytes() { return maxHeadBytes; }
    public int maxHeaderFields() { return maxHeaderFields; }
    public long maxBodyBytes() { return maxBodyBytes; }
    public int spoolThreshold() { return spoolThreshold; }
    /** Where bodies beyond {@link #spoolThreshold()} are spooled; {@code null} = the system temp directory. */
    public Path spoolDirectory() { return spoolDirectory; }
    public Duration headDeadline() { return headDeadline; }
    public Duration idleTimeout() { return idleTimeout; }
    public long minBodyBytesPerSecond() { return minBodyBytesPerSecond; }
    public Duration bodyRateWindow() { return bodyRateWindow; }
    public Duration originConnectTimeout() { return originConnectTimeout; }
    public Duration originResponseTimeout() { return originResponseTimeout; }
    public Duration decisionTimeout() { return decisionTimeout; }
    public int maxConnections() { return maxConnections; }
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }
    public Duration approvalWindow() { return approvalWindow; }
    public int maxAuthFailures() { return maxAuthFailures; }
    public Duration shutdownGrace() { return shutdownGrace; }
    public SmtpUsers users() { return users; }
    /** Whether every client must present Proxy-Authorization or be mapped to a user by its address. */
    public boolean requireAuth() { return requireAuth; }
    /** Clients that may use the proxy without credentials or a mapping (default loopback). */
    public List<Cidr> anonymousNetworks() { return anonymousNetworks; }
    public List<ClientMapping> clientUsers() { return clientUsers; }
    public DestinationGuard destinations() { return destinations; }
    public Set<Integer> deniedPorts() { return deniedPorts; }
    /** Extra PEM bundle of origin CAs trusted besides the JDK's; {@code null} when none. */
    public Path upstreamTrust() { return upstreamTrust; }
    /** Host patterns ({@code example.com}, {@code *.example.com}) to which WebSocket upgrades may pass, uninspected. */
    public List<String> websocketHosts() { return websocketHosts; }
    /** Whom users are told to contact on block pages; {@code null} = the policy's security team. */
    public String contact() { return contact; }

    public boolean isAnonymousClient(InetAddress address) {
        for (Cidr c : anonymousNetworks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
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

    public static final class Builder {
        private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3128);
        private int maxRequestLine = HttpProxyLimits.MAX_REQUEST_LINE;
        private int maxHeadBytes = HttpProxyLimits.MAX_HEAD_BYTES;
        private int maxHeaderFields = HttpProxyLimits.MAX_HEADER_FIELDS;
        private long maxBodyBytes = HttpProxyLimits.MAX_BODY_BYTES;
        private int spoolThreshold = HttpProxyLimits.SPOOL_THRESHOLD;
        private Path spoolDirectory;
        private Duration headDeadline = HttpProxyLimits.HEAD_DEADLINE;
        private Duration idleTimeout = HttpProxyLimits.IDLE_TIMEOUT;
        private long minBodyBytesPerSecond = HttpProxyLimits.MIN_BODY_BYTES_PER_SECOND;
        private Duration bodyRateWindow = HttpProxyLimits.BODY_RATE_WINDOW;
        private Duration originConnectTimeout = HttpProxyLimits.ORIGIN_CONNECT_TIMEOUT;
        private Duration originResponseTimeout = HttpProxyLimits.ORIGIN_RESPONSE_TIMEOUT;
        private Duration decisionTimeout = HttpProxyLimits.DECISION_TIMEOUT;
        private int maxConnections = HttpProxyLimits.MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = HttpProxyLimits.MAX_CONNECTIONS_PER_ADDRESS;
        private Duration approvalWindow = HttpProxyLimits.APPROVAL_WINDOW;
        private int maxAuthFailures = HttpProxyLimits.MAX_AUTH_FAILURES;
        private Duration shutdownGrace = HttpProxyLimits.SHUTDOWN_GRACE;
        private SmtpUsers users = SmtpUsers.none();
        private boolean requireAuth;
        private final List<Cidr> anonymousNetworks = new ArrayList<>(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1")));
        private final List<ClientMapping> clientUsers = new ArrayList<>();
        private boolean allowPrivateDestinations;
        private final Set<Integer> deniedPorts = new LinkedHashSet<>(HttpProxyLimits.DENIED_PORTS);
        private Path upstreamTrust;
        private final List<String> websocketHosts = new ArrayList<>();
        private String contact;

        private Builder() {
        }

        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder maxRequestLine(int bytes) {
            this.maxRequestLine = (int) positive(bytes, "maxRequestLine");
            return this;
        }

        public Builder maxHeadBytes(int bytes) {
            this.maxHeadBytes = (int) positive(bytes, "maxHeadBytes");
            return this;
        }

        public Builder maxHeaderFields(int n) {
            this.maxHeaderFields = (int) positive(n, "maxHeaderFields");
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = positive(bytes, "maxBodyBytes");
            return this;
        }

        public Builder spoolThreshold(int bytes) {
            this.spoolThreshold = (int) positive(bytes, "spoolThreshold");
            return this;
        }

        public Builder spoolDirectory(Path dir) {
            this.spoolDirectory = dir;
            return this;
        }

        public Builder headDeadline(Duration d) {
            this.headDeadline = positive(d, "headDeadline");
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
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

        public Builder decisionTimeout(Duration d) {
            this.decisionTimeout = positive(d, "decisionTimeout");
            return this;
        }

        public Builder maxConnections(int total, int perAddress) {
            this.maxConnections = (int) positive(total, "maxConnections");
            this.maxConnectionsPerAddress = (int) positive(perAddress, "maxConnectionsPerAddress");
            return this;
        }

        public Builder approvalWindow(Duration d) {
            this.approvalWindow = positive(d, "approvalWindow");
            return this;
        }

        public Builder maxAuthFailures(int n) {
            this.maxAuthFailures = (int) positive(n, "maxAuthFailures");
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            this.shutdownGrace = Objects.requireNonNull(d, "shutdownGrace");
            return this;
        }

        public Builder users(SmtpUsers users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        public Builder requireAuth(boolean required) {
            this.requireAuth = required;
            return this;
        }

        /** Replaces the networks that may use the proxy without credentials (default loopback; empty = none). */
        public Builder anonymousNetworks(List<Cidr> networks) {
            this.anonymousNetworks.clear();
            this.anonymousNetworks.addAll(networks);
            return this;
        }

        public Builder clientUser(Cidr network, String user) {
            this.clientUsers.add(new ClientMapping(network, user));
            return this;
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

        private static long positive(long v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return v;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
