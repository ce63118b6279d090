package jp.mynaguard.proxy.smtp.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the smarthost. Immutable; made with {@link #builder(String, int)}. Every default
 * lives in this class, with the reason for its value.
 *
 * <p>Timeouts are deliberately shorter than the ones RFC 5321 §4.5.3.2 gives SMTP clients (5 min
 * for MAIL/RCPT, 10 min after the final dot): the office client is waiting on us while we wait on
 * the smarthost, so we must give up and answer {@code 451} before the client gives up on us.
 */
public final class UpstreamConfig {
    /** SMTP relay port of most smarthosts inside an organisation. */
    public static final int DEFAULT_PORT = 25;
    /** Encrypt when offered; see {@link TlsMode#OPPORTUNISTIC} for why a failed handshake is not retried in clear. */
    public static final TlsMode DEFAULT_TLS = TlsMode.OPPORTUNISTIC;
    /** A smarthost that takes longer than this to accept TCP is as good as down. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Greeting, EHLO, STARTTLS (incl. handshake), AUTH, MAIL, RCPT, DATA, RSET replies, and each content write. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Reply after the final dot; the smarthost may scan the message too. Below the client's 10 min. */
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(5);
    /** Idle pooled connections are closed after this; smarthosts drop idle sessions themselves (Postfix: 300 s). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A connection is not reused after this age, so a smarthost's config or certificate change is picked up. */
    public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(5);
    /**
     * Idle connections kept for reuse; busier moments open more and close the surplus when done.
     * Sized for the transactions a gateway has open at once (each client transaction holds one
     * upstream connection): with 8, twenty busy clients made the pool close a dozen connections
     * after each wave and open them again (TCP, greeting, EHLO, QUIT), one in eight messages.
     * Below the 50 connections per client a Postfix smarthost allows by default.
     */
    public static final int DEFAULT_MAX_IDLE_CONNECTIONS = 32;
    /** Event-loop threads for upstream connections; the machine has few cores and the work is I/O. */
    public static final int DEFAULT_IO_THREADS = 2;

    private final String host;
    private final int port;
    private final TlsMode tls;
    private final Path trustFile;
    private final String username;
    private final String password;
    private final boolean allowPlaintextAuth;
    private final String ehloName;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final Duration dataTimeout;
    private final Duration idleTimeout;
    private final Duration maxConnectionAge;
    private final int maxIdleConnections;
    private final int ioThreads;

    private UpstreamConfig(Builder b) {
        host = b.host;
        port = b.port;
        tls = b.tls;
        trustFile = b.trustFile;
        username = b.username;
        password = b.password;
        allowPlaintextAuth = b.allowPlaintextAuth;
        ehloName = b.ehloName != null ? b.ehloName : localHostName();
        connectTimeout = b.connectTimeout;
        commandTimeout = b.commandTimeout;
        dataTimeout = b.dataTimeout;
        idleTimeout = b.idleTimeout;
        maxConnectionAge = b.maxConnectionAge;
        maxIdleConnections = b.maxIdleConnections;
        ioThreads = b.ioThreads;
    }

    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public TlsMode tls() {
        return tls;
    }

    /** PEM file of the certificates to trust for the smarthost; empty = the JDK's default trust store. */
    public Optional<Path> trustFile() {
        return Optional.ofNullable(trustFile);
    }

    /** Whether AUTH is sent to the smarthost. */
    public boolean authenticates() {
        return username != null;
    }

    public String username() {
        return username;
    }

    String password() {
        return password;
    }

    public boolean allowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    public String ehloName() {
        return ehloName;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration dataTimeout() {
        return dataTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration maxConnectionAge() {
        return maxConnectionAge;
    }

    public int maxIdleConnections() {
        return maxIdleConnections;
    }

    public int ioThreads() {
        return ioThreads;
    }

    @Override
    public String toString() {
        // Never the password.
        return "smtp://" + host + ":" + port + " tls=" + tls + (authenticates() ? " auth=" + username : "");
    }

    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Builds an {@link UpstreamConfig}; every setter validates its argument. */
    public static final class Builder {
        private final String host;
        private final int port;
        private TlsMode tls = DEFAULT_TLS;
        private Path trustFile;
        private String username;
        private String password;
        private boolean allowPlaintextAuth;
        private String ehloName;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration dataTimeout = DEFAULT_DATA_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration maxConnectionAge = DEFAULT_MAX_CONNECTION_AGE;
        private int maxIdleConnections = DEFAULT_MAX_IDLE_CONNECTIONS;
        private int ioThreads = DEFAULT_IO_THREADS;

        private Builder(String host, int port) {
            this.host = requireText(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
        }

        public Builder tls(TlsMode mode) {
            this.tls = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Trust exactly the certificates in this PEM file (e.g. the smarthost's own CA). */
        public Builder trustFile(Path pemFile) {
            this.trustFile = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /** AUTH PLAIN (or LOGIN when the smarthost offers only that) with these credentials. */
        public Builder auth(String username, String password) {
            this.username = requireText(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Permits AUTH over an unencrypted connection. Off by default: the password would cross
         * the network in clear. For a smarthost on loopback or a trusted segment.
         */
        public Builder allowPlaintextAuth(boolean allow) {
            this.allowPlaintextAuth = allow;
            return this;
        }

        /** The name we give in EHLO; default: this machine's canonical host name. */
        public Builder ehloName(String name) {
            this.ehloName = requireText(name, "ehloName");
            if (name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("ehloName must be printable ASCII without spaces");
            }
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        public Builder commandTimeout(Duration d) {
            this.commandTimeout = positive(d, "commandTimeout");
            return this;
        }

        public Builder dataTimeout(Duration d) {
            this.dataTimeout = positive(d, "dataTimeout");
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        public Builder maxConnectionAge(Duration d) {
            this.maxConnectionAge = positive(d, "maxConnectionAge");
            return this;
        }

        /** Idle connections kept for reuse; 0 disables pooling (one connection per transaction). */
        public Builder maxIdleConnections(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxIdleConnections must be >= 0: " + n);
            }
            this.maxIdleConnections = n;
            return this;
        }

        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1: " + n);
            }
            this.ioThreads = n;
            return this;
        }

        public UpstreamConfig build() {
            if (username != null && tls == TlsMode.NONE && !allowPlaintextAuth) {
                throw new IllegalArgumentException(
                        "AUTH to the smarthost without TLS would send the password in clear; "
                                + "use tls opportunistic/required or allow plaintext auth explicitly");
            }
            return new UpstreamConfig(this);
        }

        private static String requireText(String s, String name) {
            Objects.requireNonNull(s, name);
            if (s.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return s;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
