package jp.mynaguard.proxy.console;

import java.time.Duration;

/**
 * Every limit and default of the console in one place, with the reason for its value.
 * {@link ConsoleSettings} (gateway.yaml's {@code console:}) overrides the ones an admin may want
 * to change; the rest are protections that have no reason to vary.
 */
public final class ConsoleLimits {
    /** Loopback: a fresh install does not show held mail to the network. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:8025";
    public static final int DEFAULT_PORT = 8025;

    /** Request line: a path with a reference id and a few filters; browsers send far less than this. */
    public static final int MAX_INITIAL_LINE = 4 * 1024;

    /** All header lines together: cookies of this console only (a session, a language, a login token). */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** A form or JSON body: a comment and a token. Larger bodies get 413 before they are read. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** A decision comment, in characters; it goes into mails and the audit, not a novel. */
    public static final int MAX_COMMENT_CHARS = 2_000;

    /** A connection that sends nothing for this long is closed (keep-alive idle, or a stalled request). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** A request must arrive whole within this time from its first byte (slow-loris). */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(30);

    /** Open connections overall: people with browsers, not a mail flood. */
    public static final int MAX_CONNECTIONS = 512;

    /** Per client address: a browser opens about six; an office NAT shows many people as one address. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 64;

    /** Pipelined requests waiting behind the one being answered; more is not a browser. */
    public static final int MAX_PIPELINED_REQUESTS = 16;

    /** Threads for the workflow, the store and password hashing (slow on purpose), and how many may wait. */
    public static final int WORKER_THREADS = 4;
    public static final int WORKER_QUEUE = 256;

    /** A session unused for this long ends (OWASP: 15-30 minutes for applications handling sensitive data). */
    public static final Duration SESSION_IDLE = Duration.ofMinutes(30);

    /** A session ends this long after the login, however active: one working day. */
    public static final Duration SESSION_MAX = Duration.ofHours(12);

    /** Sessions kept at once; the oldest expire first when a login would exceed it. */
    public static final int MAX_SESSIONS = 10_000;

    /** Failed logins per user within {@link #LOGIN_WINDOW} before further attempts are refused (no password check). */
    public static final int LOGIN_FAILURES_PER_USER = 5;

    /** Failed logins per client address within {@link #LOGIN_WINDOW}: guessing many users from one place. */
    public static final int LOGIN_FAILURES_PER_ADDRESS = 20;

    /** The window of the login counters; a locked user or address may try again when it has passed. */
    public static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);

    /** Users and addresses whose failures are remembered at once (a bounded map, oldest dropped). */
    public static final int LOGIN_TRACKED_KEYS = 100_000;

    /** Items on one list page and in one API answer. */
    public static final int LIST_LIMIT = 200;

    /** Items whose histories make up the admin's audit view. */
    public static final int AUDIT_ITEMS = 100;

    /** Revealed text per item, in characters; the rest is cut with a note (the page must stay usable). */
    public static final int REVEAL_MAX_CHARS = 512 * 1024;

    private ConsoleLimits() {
    }
}
