package jp.mynaguard.proxy.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.netty.handler.ssl.SslContext;

/**
 * Everything the SMTP server needs to know, immutable; built with {@link #builder()} from the
 * defaults in {@link SmtpLimits}. Shared by all sessions.
 */
public final class SmtpServerConfig {
    /** A client network whose connections are attributed to a user without AUTH (e.g. a scanner's address). */
    public record ClientMapping(Cidr network, String user) {
        public ClientMapping {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(user, "user");
        }

        /** The user {@code address} is mapped to by the first matching mapping, or {@code null} (SMTP and HTTP alike). */
        public static String userFor(List<ClientMapping> mappings, InetAddress address) {
            for (ClientMapping m : mappings) {
                if (m.network().contains(address)) {
                    return m.user();
                }
            }
            return null;
        }
    }

    private final InetSocketAddress listen;
    private final String hostname;
    private final long maxMessageSize;
    private final int maxRecipients;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int commandsPerSecond;
    private final int commandBurst;
    private final int maxJunkCommands;
    private final int maxErrors;
    private final int maxAuthFailures;
    private final Duration idleTimeout;
    private final Duration mailDeadline;
    private final Duration dataIdleTimeout;
    private final Duration dataDeadline;
    private final Duration decisionTimeout;
    private final Duration shutdownGrace;
    private final BareLineEndPolicy bareLf;
    private final LongLinePolicy longLines;
    private final SenderCheck senderCheck;
    private final SslContext tls;
    private final SmtpUsers users;
    private final List<Cidr> relayNetworks;
    private final List<ClientMapping> clientUsers;
    private final int spoolThreshold;
    private final Path spoolDirectory;
    private final String noticeFrom;

    private SmtpServerConfig(Builder b) {
        this.listen = b.listen;
        this.hostname = b.hostname;
        this.maxMessageSize = b.maxMessageSize;
        this.maxRecipients = b.maxRecipients;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.commandsPerSecond = b.commandsPerSecond;
        this.commandBurst = b.commandBurst;
        this.maxJunkCommands = b.maxJunkCommands;
        this.maxErrors = b.maxErrors;
        this.maxAuthFailures = b.maxAuthFailures;
        this.idleTimeout = b.idleTimeout;
        this.mailDeadline = b.mailDeadline;
        this.dataIdleTimeout = b.dataIdleTimeout;
        this.dataDeadline = b.dataDeadline;
        this.decisionTimeout = b.decisionTimeout;
        this.shutdownGrace = b.shutdownGrace;
        this.bareLf = b.bareLf;
        this.longLines = b.longLines;
        this.senderCheck = b.senderCheck;
        this.tls = b.tls;
        this.users = b.users;
        this.relayNetworks = List.copyOf(b.relayNetworks);
        this.clientUsers = List.copyOf(b.clientUsers);
        this.spoolThreshold = b.spoolThreshold;
        this.spoolDirectory = b.spoolDirectory;
        this.noticeFrom = b.noticeFrom != null ? b.noticeFrom : "postmaster@" + hostname;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress listen() {
        return listen;
    }

    /** Our name in the greeting, EHLO reply and Received: header. */
    public String hostname() {
        return hostname;
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    public int maxRecipients() {
        return maxRecipients;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public int commandsPerSecond() {
        return commandsPerSecond;
    }

    public int commandBurst() {
        return commandBurst;
    }

    public int maxJunkCommands() {
        return maxJunkCommands;
    }

    public int maxErrors() {
        return maxErrors;
    }

    public int maxAuthFailures() {
        return maxAuthFailures;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration mailDeadline() {
        return mailDeadline;
    }

    public Duration dataIdleTimeout() {
        return dataIdleTimeout;
    }

    public Duration dataDeadline() {
        return dataDeadline;
    }

    public Duration decisionTimeout() {
        return decisionTimeout;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    public BareLineEndPolicy bareLf() {
        return bareLf;
    }

    public LongLinePolicy longLines() {
        return longLines;
    }

    public SenderCheck senderCheck() {
        return senderCheck;
    }

    /** Server TLS context for STARTTLS, or {@code null} when STARTTLS is not offered. */
    public SslContext tls() {
        return tls;
    }

    public SmtpUsers users() {
        return users;
    }

    /** Networks that may submit without AUTH and without a mapped user (like Postfix's mynetworks). */
    public List<Cidr> relayNetworks() {
        return relayNetworks;
    }

    public List<ClientMapping> clientUsers() {
        return clientUsers;
    }

    /** Whether {@code address} may submit anonymously. */
    public boolean isRelayClient(InetAddress address) {
        for (Cidr c : relayNetworks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The user a client address is mapped to, or {@code null}; the first matching mapping wins. */
    public String mappedUser(InetAddress address) {
        return ClientMapping.userFor(clientUsers, address);
    }

    public int spoolThreshold() {
        return spoolThreshold;
    }

    /** Where DATA beyond {@link #spoolThreshold()} is spooled; {@code null} = the system temp directory. */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /** Envelope and From address of notices to senders. */
    public String noticeFrom() {
        return noticeFrom;
    }

    public static final class Builder {
        private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2525);
        private String hostname = "localhost";
        private long maxMessageSize = SmtpLimits.MAX_MESSAGE_SIZE;
        private int maxRecipients = SmtpLimits.MAX_RECIPIENTS;
        private int maxConnections = SmtpLimits.MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = SmtpLimits.MAX_CONNECTIONS_PER_ADDRESS;
        private int commandsPerSecond = SmtpLimits.COMMANDS_PER_SECOND;
        private int commandBurst = SmtpLimits.COMMAND_BURST;
        private int maxJunkCommands = SmtpLimits.MAX_JUNK_COMMANDS;
        private int maxErrors = SmtpLimits.MAX_ERRORS;
        private int maxAuthFailures = SmtpLimits.MAX_AUTH_FAILURES;
        private Duration idleTimeout = SmtpLimits.IDLE_TIMEOUT;
        private Duration mailDeadline = SmtpLimits.MAIL_DEADLINE;
        private Duration dataIdleTimeout = SmtpLimits.DATA_IDLE_TIMEOUT;
        private Duration dataDeadline = SmtpLimits.DATA_DEADLINE;
        private Duration decisionTimeout = SmtpLimits.DECISION_TIMEOUT;
        private Duration shutdownGrace = SmtpLimits.SHUTDOWN_GRACE;
        private BareLineEndPolicy bareLf = BareLineEndPolicy.NORMALIZE;
        private LongLinePolicy longLines = LongLinePolicy.REJECT;
        private SenderCheck senderCheck = SenderCheck.ENFORCE;
        private SslContext tls;
        private SmtpUsers users = SmtpUsers.none();
        private final List<Cidr> relayNetworks = new ArrayList<>(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1")));
        private final List<ClientMapping> clientUsers = new ArrayList<>();
        private int spoolThreshold = SmtpLimits.SPOOL_THRESHOLD;
        private Path spoolDirectory;
        private String noticeFrom;

        private Builder() {
        }

        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder hostname(String name) {
            if (name == null || name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("hostname must be printable ASCII without spaces");
            }
            this.hostname = name;
            return this;
        }

        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = positive(bytes, "maxMessageSize");
            return this;
        }

        public Builder maxRecipients(int n) {
            this.maxRecipients = (int) positive(n, "maxRecipients");
            return this;
        }

        public Builder maxConnections(int n) {
            this.maxConnections = (int) positive(n, "maxConnections");
            return this;
        }

        public Builder maxConnectionsPerAddress(int n) {
            this.maxConnectionsPerAddress = (int) positive(n, "maxConnectionsPerAddress");
            return this;
        }

        public Builder commandRate(int perSecond, int burst) {
            this.commandsPerSecond = (int) positive(perSecond, "commandsPerSecond");
            this.commandBurst = (int) positive(burst, "commandBurst");
            return this;
        }

        public Builder maxJunkCommands(int n) {
            this.maxJunkCommands = (int) positive(n, "maxJunkCommands");
            return this;
        }

        public Builder maxErrors(int n) {
            this.maxErrors = (int) positive(n, "maxErrors");
            return this;
        }

        public Builder maxAuthFailures(int n) {
            this.maxAuthFailures = (int) positive(n, "maxAuthFailures");
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        public Builder mailDeadline(Duration d) {
            this.mailDeadline = positive(d, "mailDeadline");
            return this;
        }

        public Builder dataIdleTimeout(Duration d) {
            this.dataIdleTimeout = positive(d, "dataIdleTimeout");
            return this;
        }

        public Builder dataDeadline(Duration d) {
            this.dataDeadline = positive(d, "dataDeadline");
            return this;
        }

        public Builder decisionTimeout(Duration d) {
            this.decisionTimeout = positive(d, "decisionTimeout");
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            this.shutdownGrace = Objects.requireNonNull(d, "shutdownGrace");
            return this;
        }

        public Builder bareLf(BareLineEndPolicy p) {
            this.bareLf = Objects.requireNonNull(p, "bareLf");
            return this;
        }

        public Builder longLines(LongLinePolicy p) {
            this.longLines = Objects.requireNonNull(p, "longLines");
            return this;
        }

        public Builder senderCheck(SenderCheck c) {
            this.senderCheck = Objects.requireNonNull(c, "senderCheck");
            return this;
        }

        /** A server context; STARTTLS is offered only with one. */
        public Builder tls(SslContext context) {
            if (context != null && !context.isServer()) {
                throw new IllegalArgumentException("tls must be a server context");
            }
            this.tls = context;
            return this;
        }

        public Builder users(SmtpUsers users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /** Replaces the relay networks (default: loopback only). An empty list: everyone must authenticate or be mapped. */
        public Builder relayNetworks(List<Cidr> networks) {
            this.relayNetworks.clear();
            this.relayNetworks.addAll(networks);
            return this;
        }

        public Builder clientUser(Cidr network, String user) {
            this.clientUsers.add(new ClientMapping(network, user));
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

        public Builder noticeFrom(String address) {
            this.noticeFrom = address;
            return this;
        }

        public SmtpServerConfig build() {
            return new SmtpServerConfig(this);
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
