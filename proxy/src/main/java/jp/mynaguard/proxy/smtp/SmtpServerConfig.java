package jp.mynaguard.proxy.smtp;

import static jp.mynaguard.proxy.io.Checks.positive;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.netty.handler.ssl.SslContext;
import jp.mynaguard.proxy.io.ListenerConfig;
import jp.mynaguard.proxy.io.ListenerConfigBuilder;

/**
 * Everything the SMTP server needs to know, immutable; built with {@link #builder()} from the
 * defaults in {@link SmtpLimits}. Shared by all sessions. What it has in common with the HTTP
 * proxy (listen address, connection caps, users, client mappings, spooling...) is in
 * {@link ListenerConfig}.
 */
public final class SmtpServerConfig extends ListenerConfig {
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

    private final String hostname;
    private final long maxMessageSize;
    private final int maxRecipients;
    private final int spoolThreshold;
    private final int commandsPerSecond;
    private final int commandBurst;
    private final int maxJunkCommands;
    private final int maxErrors;
    private final Duration mailDeadline;
    private final Duration dataIdleTimeout;
    private final Duration dataDeadline;
    private final BareLineEndPolicy bareLf;
    private final LongLinePolicy longLines;
    private final SenderCheck senderCheck;
    private final SslContext tls;
    private final String noticeFrom;

    private SmtpServerConfig(Builder b) {
        super(b);
        this.hostname = b.hostname;
        this.maxMessageSize = b.maxMessageSize;
        this.maxRecipients = b.maxRecipients;
        this.spoolThreshold = b.spoolThreshold;
        this.commandsPerSecond = b.commandsPerSecond;
        this.commandBurst = b.commandBurst;
        this.maxJunkCommands = b.maxJunkCommands;
        this.maxErrors = b.maxErrors;
        this.mailDeadline = b.mailDeadline;
        this.dataIdleTimeout = b.dataIdleTimeout;
        this.dataDeadline = b.dataDeadline;
        this.bareLf = b.bareLf;
        this.longLines = b.longLines;
        this.senderCheck = b.senderCheck;
        this.tls = b.tls;
        this.noticeFrom = b.noticeFrom != null ? b.noticeFrom : "postmaster@" + hostname;
    }

    public static Builder builder() {
        return new Builder();
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

    /** Message data up to this size stays on the heap; more goes to a 0600 spool file. */
    public int spoolThreshold() {
        return spoolThreshold;
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

    public Duration mailDeadline() {
        return mailDeadline;
    }

    public Duration dataIdleTimeout() {
        return dataIdleTimeout;
    }

    public Duration dataDeadline() {
        return dataDeadline;
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

    /** Networks that may submit without AUTH and without a mapped user (like Postfix's mynetworks). */
    public List<Cidr> relayNetworks() {
        return networksWithoutAuth();
    }

    /** Whether {@code address} may submit anonymously. */
    public boolean isRelayClient(InetAddress address) {
        return needsNoAuth(address);
    }

    /** Envelope and From address of notices to senders. */
    public String noticeFrom() {
        return noticeFrom;
    }

    public static final class Builder extends ListenerConfigBuilder<Builder> {
        private String hostname = "localhost";
        private long maxMessageSize = SmtpLimits.MAX_MESSAGE_SIZE;
        private int maxRecipients = SmtpLimits.MAX_RECIPIENTS;
        private int spoolThreshold = SmtpLimits.SPOOL_THRESHOLD;
        private int commandsPerSecond = SmtpLimits.COMMANDS_PER_SECOND;
        private int commandBurst = SmtpLimits.COMMAND_BURST;
        private int maxJunkCommands = SmtpLimits.MAX_JUNK_COMMANDS;
        private int maxErrors = SmtpLimits.MAX_ERRORS;
        private Duration mailDeadline = SmtpLimits.MAIL_DEADLINE;
        private Duration dataIdleTimeout = SmtpLimits.DATA_IDLE_TIMEOUT;
        private Duration dataDeadline = SmtpLimits.DATA_DEADLINE;
        private BareLineEndPolicy bareLf = BareLineEndPolicy.NORMALIZE;
        private LongLinePolicy longLines = LongLinePolicy.REJECT;
        private SenderCheck senderCheck = SenderCheck.ENFORCE;
        private SslContext tls;
        private String noticeFrom;

        private Builder() {
            super(2525, SmtpLimits.MAX_CONNECTIONS, SmtpLimits.MAX_CONNECTIONS_PER_ADDRESS, SmtpLimits.IDLE_TIMEOUT,
                    SmtpLimits.MAX_AUTH_FAILURES, SmtpLimits.DECISION_TIMEOUT, SmtpLimits.SHUTDOWN_GRACE);
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

        public Builder spoolThreshold(int bytes) {
            this.spoolThreshold = positive(bytes, "spoolThreshold");
            return this;
        }

        public Builder maxRecipients(int n) {
            this.maxRecipients = positive(n, "maxRecipients");
            return this;
        }

        public Builder commandRate(int perSecond, int burst) {
            this.commandsPerSecond = positive(perSecond, "commandsPerSecond");
            this.commandBurst = positive(burst, "commandBurst");
            return this;
        }

        public Builder maxJunkCommands(int n) {
            this.maxJunkCommands = positive(n, "maxJunkCommands");
            return this;
        }

        public Builder maxErrors(int n) {
            this.maxErrors = positive(n, "maxErrors");
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

        /** Replaces the relay networks (default: loopback only). An empty list: everyone must authenticate or be mapped. */
        public Builder relayNetworks(List<Cidr> networks) {
            return networksWithoutAuth(networks);
        }

        public Builder noticeFrom(String address) {
            this.noticeFrom = address;
            return this;
        }

        public SmtpServerConfig build() {
            return new SmtpServerConfig(this);
        }
    }
}
