package jp.mynaguard.proxy.http;

import static jp.mynaguard.proxy.io.Checks.positive;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import jp.mynaguard.certs.CertLimits;

/**
 * How CONNECT tunnels are handled, with every default and limit in one place.
 *
 * @param allowedPorts       CONNECT ports clients may use ({@link #DEFAULT_PORTS}); never {@link #NEVER_PORTS}
 * @param passthroughHosts   hosts whose tunnels are relayed unopened (pinned apps, banking), and
 *                           only when the ClientHello's SNI names the same host
 * @param plainHosts         hosts whose tunnels may carry non-TLS bytes (relayed, not inspected);
 *                           for every other host such a tunnel is refused
 * @param clientHelloTimeout the ClientHello must have arrived this long after the 200 answer
 * @param maxClientHelloBytes a longer ClientHello is refused (real ones are under 2 KB, post-quantum key shares included)
 * @param connectTimeout     for connecting to the origin of a relayed tunnel
 * @param tlsContextCacheSize TLS server contexts (one per intercepted host) kept, least recently used dropped first
 * @param workerThreads      threads for DNS lookups and certificate minting, which must not block the event loop
 * @param relayIdleTimeout   a relayed tunnel with no bytes either way for this long is closed
 */
public record TunnelSettings(Set<Integer> allowedPorts, HostPatterns passthroughHosts, HostPatterns plainHosts,
                             Duration clientHelloTimeout, int maxClientHelloBytes, Duration connectTimeout,
                             int tlsContextCacheSize, int workerThreads, Duration relayIdleTimeout) {
    public static final Set<Integer> DEFAULT_PORTS = Set.of(443);
    /** SMTP: a proxy that tunnels to port 25 is a spam relay. Refused whatever the config says. */
    public static final Set<Integer> NEVER_PORTS = Set.of(25);
    public static final Duration DEFAULT_CLIENT_HELLO_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CLIENT_HELLO_BYTES = 64 * 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_TLS_CONTEXT_CACHE_SIZE = CertLimits.LEAF_CACHE_SIZE;
    public static final int DEFAULT_WORKER_THREADS = 4;
    /** Browsers drop idle TLS connections after a few minutes; a relay idle far longer is abandoned. */
    public static final Duration DEFAULT_RELAY_IDLE_TIMEOUT = Duration.ofMinutes(15);

    public static final TunnelSettings DEFAULTS = builder().build();

    public TunnelSettings {
        allowedPorts = Set.copyOf(allowedPorts);
        Objects.requireNonNull(passthroughHosts, "passthroughHosts");
        Objects.requireNonNull(plainHosts, "plainHosts");
        for (int p : allowedPorts) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("CONNECT port " + p + " is not a port number");
            }
            if (NEVER_PORTS.contains(p)) {
                throw new IllegalArgumentException("CONNECT port " + p + " can never be allowed: the proxy would relay spam");
            }
        }
        if (allowedPorts.isEmpty()) {
            throw new IllegalArgumentException("at least one CONNECT port must be allowed");
        }
        positive(clientHelloTimeout, "client hello timeout");
        positive(connectTimeout, "connect timeout");
        positive(relayIdleTimeout, "relay idle timeout");
        if (maxClientHelloBytes < 512 || maxClientHelloBytes > 0xFFFFFF) {
            throw new IllegalArgumentException("max ClientHello size must be between 512 bytes and 16 MB");
        }
        if (tlsContextCacheSize < 1 || workerThreads < 1) {
            throw new IllegalArgumentException("cache size and worker threads must be at least 1");
        }
    }

    /** Whether a tunnel to {@code port} may be opened: allowed by config and never SMTP. */
    public boolean portAllowed(int port) {
        return allowedPorts.contains(port) && !NEVER_PORTS.contains(port);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.allowedPorts = allowedPorts;
        b.passthroughHosts = passthroughHosts;
        b.plainHosts = plainHosts;
        b.clientHelloTimeout = clientHelloTimeout;
        b.maxClientHelloBytes = maxClientHelloBytes;
        b.connectTimeout = connectTimeout;
        b.tlsContextCacheSize = tlsContextCacheSize;
        b.workerThreads = workerThreads;
        b.relayIdleTimeout = relayIdleTimeout;
        return b;
    }

    @Override
    public String toString() {
        return "ports " + new TreeSet<>(allowedPorts) + ", passthrough " + passthroughHosts + ", plain " + plainHosts;
    }

    public static final class Builder {
        private Set<Integer> allowedPorts = DEFAULT_PORTS;
        private HostPatterns passthroughHosts = HostPatterns.NONE;
        private HostPatterns plainHosts = HostPatterns.NONE;
        private Duration clientHelloTimeout = DEFAULT_CLIENT_HELLO_TIMEOUT;
        private int maxClientHelloBytes = DEFAULT_MAX_CLIENT_HELLO_BYTES;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int tlsContextCacheSize = DEFAULT_TLS_CONTEXT_CACHE_SIZE;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private Duration relayIdleTimeout = DEFAULT_RELAY_IDLE_TIMEOUT;

        private Builder() {
        }

        public Builder allowedPorts(Set<Integer> ports) {
            this.allowedPorts = ports;
            return this;
        }

        public Builder passthroughHosts(List<String> hosts) {
            this.passthroughHosts = new HostPatterns(hosts);
            return this;
        }

        public Builder plainHosts(List<String> hosts) {
            this.plainHosts = new HostPatterns(hosts);
            return this;
        }

        public Builder clientHelloTimeout(Duration d) {
            this.clientHelloTimeout = d;
            return this;
        }

        public Builder maxClientHelloBytes(int n) {
            this.maxClientHelloBytes = n;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder tlsContextCacheSize(int n) {
            this.tlsContextCacheSize = n;
            return this;
        }

        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        public Builder relayIdleTimeout(Duration d) {
            this.relayIdleTimeout = d;
            return this;
        }

        public TunnelSettings build() {
            return new TunnelSettings(allowedPorts, passthroughHosts, plainHosts, clientHelloTimeout, maxClientHelloBytes,
                    connectTimeout, tlsContextCacheSize, workerThreads, relayIdleTimeout);
        }
    }
}
