package jp.mynaguard.proxy.smtp;

import java.time.Duration;

/**
 * Every default of the SMTP server in one place, with the reason for its value. {@link
 * SmtpServerConfig.Builder} starts from these; {@code gateway.yaml} overrides them.
 */
public final class SmtpLimits {
    /** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including CRLF. */
    public static final int MAX_COMMAND_LINE = 512;

    /** RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets including CRLF. */
    public static final int MAX_TEXT_LINE = 1000;

    /** 25 MiB: what Exchange Online and most smarthosts accept; SIZE advertises the smaller of this and the upstream's. */
    public static final long MAX_MESSAGE_SIZE = 25L * 1024 * 1024;

    /** RFC 5321 §4.5.3.1.8 requires at least 100; more per message is a mass mailing, not office mail. */
    public static final int MAX_RECIPIENTS = 100;

    /** Enough for 2 000 idle sessions (the benchmark target) on one gateway. */
    public static final int MAX_CONNECTIONS = 2_000;

    /** One desktop, or a terminal server with many users; a runaway script hits it first. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 100;

    /**
     * Commands per second per connection, sustained (token bucket); beyond it commands are slowed
     * down, not refused. Above what a batch sender needs (four commands per message at a few
     * hundred messages a second), low enough that a flood cannot monopolise an event loop.
     */
    public static final int COMMANDS_PER_SECOND = 2_000;

    /** Burst allowance of the command token bucket. */
    public static final int COMMAND_BURST = 2_000;

    /** Postfix smtpd_junk_command_limit: NOOP, RSET, VRFY, EXPN, HELP without a message in between. */
    public static final int MAX_JUNK_COMMANDS = 100;

    /** Postfix smtpd_hard_error_limit: protocol errors before the connection is dropped. */
    public static final int MAX_ERRORS = 20;

    /** Failed AUTH attempts per connection: password guessing must cost a reconnect. */
    public static final int MAX_AUTH_FAILURES = 3;

    /** RFC 5321 §4.5.3.2.7: a server should wait at least 5 minutes for the next command. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    /**
     * From the greeting (or the end of the last transaction) to the next MAIL FROM. A client that
     * keeps the connection alive with NOOPs or drips HELO/RSET still has to send mail by then.
     */
    public static final Duration MAIL_DEADLINE = Duration.ofMinutes(10);

    /** RFC 5321 §4.5.3.2.5: 3 minutes between data blocks. */
    public static final Duration DATA_IDLE_TIMEOUT = Duration.ofMinutes(3);

    /** The whole DATA transfer, 354 to the final dot; a slow-drip body cannot hold a connection longer. */
    public static final Duration DATA_DEADLINE = Duration.ofMinutes(10);

    /**
     * How long the scan, the decision and the relay may take before the client gets 451. Below the
     * 10-minute DATA termination timeout of RFC 5321 §4.5.3.2.6, so the client hears from us.
     */
    public static final Duration DECISION_TIMEOUT = Duration.ofMinutes(5);

    /** DATA kept in memory up to this size, then in a spool file (as the issue asks: ≤ 1 MB on the heap). */
    public static final int SPOOL_THRESHOLD = 1024 * 1024;

    /** Open transactions get this long to finish on shutdown before they are answered 421. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    /** Header section bytes the rewriter and the From check read; beyond this the message is refused. */
    public static final int MAX_HEADER_BYTES = 256 * 1024;

    /** Scan/decision/hold workers: the work is CPU-bound scanning, so about one per core. */
    public static final int WORKER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    /** Messages waiting for a worker before new ones get 451 (backpressure instead of an unbounded queue). */
    public static final int WORKER_QUEUE = 256;

    private SmtpLimits() {
    }
}
