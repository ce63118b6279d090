package jp.mynaguard.proxy.http;

import java.time.Duration;
import java.util.Set;

/**
 * Every default of the HTTP proxy in one place, with the reason for its value. {@link
 * HttpProxyConfig.Builder} starts from these; {@code gateway.yaml}'s {@code http:} section
 * overrides them.
 */
public final class HttpProxyLimits {
    /** Request line: long URLs (signed upload links) fit; a line longer than this is an attack or a mistake. */
    public static final int MAX_REQUEST_LINE = 16 * 1024;

    /** Request line plus header fields, like nginx's large_client_header_buffers (4 x 8k) and then some. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    /** Header fields per request: browsers send 10-30; hundreds only serve to slow the parser down. */
    public static final int MAX_HEADER_FIELDS = 200;

    /** A chunk-size line with its extensions (RFC 9112 7.1.1); extensions are never needed by an upload. */
    public static final int MAX_CHUNK_LINE = 1024;

    /** Trailer fields of a chunked body, together. */
    public static final int MAX_TRAILER_BYTES = 16 * 1024;

    /**
     * The largest request body that is inspected and forwarded; larger is 413. Spooled to disk
     * beyond {@link #MEMORY_BODY_BYTES}, so memory does not grow with it (a 1 GB upload passes
     * with -Xmx256m).
     */
    public static final long MAX_BODY_BYTES = 2L * 1024 * 1024 * 1024;

    /**
     * A request body up to this size is received into pooled direct memory blocks, scanned there
     * and forwarded from them; a larger one goes to a 0600 spool file (and to a plain-HTTP origin
     * by sendfile). Writing 10 MB bodies to the spool file and deleting them was a sixth of the
     * proxy's CPU (perf: ext4 buffered writes 12 %, unlink 3 %).
     */
    public static final long MEMORY_BODY_BYTES = 16L * 1024 * 1024;

    /** Direct memory all bodies in memory may hold at once; past it new bodies go to files. */
    public static final long MEMORY_BODIES_BYTES = 96L * 1024 * 1024;

    /**
     * The largest buffer a client connection receives into. A body keeps received buffers that
     * are at least half full as they are, so this bounds what one of them pins.
     */
    public static final int RECEIVE_BUFFER_MAX = 64 * 1024;

    /**
     * How often full-size blocks kept for the next bodies are trimmed: those no body took in the
     * last interval are freed, so memory goes back within two intervals after a burst.
     */
    public static final Duration KEPT_BLOCKS_TRIM = Duration.ofSeconds(30);

    /** Sizes of a body's memory blocks: the first is small (most bodies are), later ones double. */
    public static final int BODY_BLOCK_MIN = 16 * 1024;
    public static final int BODY_BLOCK_MAX = 256 * 1024;

    /**
     * From the first byte of a request head to its end. An inactivity timer alone lets a client
     * hold a connection forever with one byte every few seconds (slowloris).
     */
    public static final Duration HEAD_DEADLINE = Duration.ofSeconds(20);

    /** A kept-alive connection with no request in progress is closed after this. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Minimum average body rate, checked over each {@link #BODY_RATE_WINDOW}: 1 KiB/s is far below
     * any real uplink and far above a slow-drip attack.
     */
    public static final long MIN_BODY_BYTES_PER_SECOND = 1024;

    /** The window over which the body rate is measured; short bursts of silence inside it are fine. */
    public static final Duration BODY_RATE_WINDOW = Duration.ofSeconds(20);

    /** Connecting to an origin (DNS lookup and TCP, and the TLS handshake). */
    public static final Duration ORIGIN_CONNECT_TIMEOUT = Duration.ofSeconds(15);

    /** From the last request byte sent to the origin to the response head. */
    public static final Duration ORIGIN_RESPONSE_TIMEOUT = Duration.ofSeconds(120);

    /** Waiting for a decision (scan and policy, hold store write) before answering 503. */
    public static final Duration DECISION_TIMEOUT = Duration.ofMinutes(5);

    /** Client connections open at once: 1 000 concurrent clients (the benchmark) with room to spare. */
    public static final int MAX_CONNECTIONS = 4_000;

    /** Per client address: a terminal server with many browsers; a runaway script hits it first. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 1_500;

    /** Scan-and-decide threads (CPU-bound) and how many decisions may wait for one. */
    public static final int WORKER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    public static final int WORKER_QUEUE = 1_000;

    /** How long an approved upload may be sent again and let through once (the default). */
    public static final Duration APPROVAL_WINDOW = Duration.ofMinutes(30);

    /**
     * A verified Proxy-Authorization is remembered this long (as a keyed hash, never the password):
     * a browser sends it with every request, and PBKDF2 costs hundreds of milliseconds by design.
     */
    public static final Duration AUTH_CACHE_TTL = Duration.ofMinutes(5);

    /** Distinct credentials remembered at once; older ones are verified again. */
    public static final int AUTH_CACHE_ENTRIES = 10_000;

    /** Failed Proxy-Authorization attempts per connection before it is closed. */
    public static final int MAX_AUTH_FAILURES = 5;

    /** The approval button's form (a reference and a short reason); anything longer is not that form. */
    public static final int MAX_APPROVAL_FORM_BYTES = 16 * 1024;

    /** Characters of the approval reason kept for the audit trail (digit runs redacted). */
    public static final int MAX_APPROVAL_REASON = 500;

    /** Findings listed on a block page; the count of the rest is shown. */
    public static final int MAX_FINDINGS_SHOWN = 20;

    /** Uploaded files listed for the policy's attachment conditions (the scan covers every part anyway). */
    public static final int MAX_LISTED_FILES = 1_000;

    /** Longest multipart line kept while listing files (part headers); longer lines (content) are skipped. */
    public static final int MAX_PART_HEADER_LINE = 8 * 1024;

    /** Open requests get this long to finish when the gateway stops. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /**
     * Ports a plain-HTTP request is never sent to: the Fetch standard's "bad ports" that browsers
     * refuse too, mostly mail, shell and file services an HTTP request could be smuggled into.
     */
    public static final Set<Integer> DENIED_PORTS = Set.of(1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42,
            43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143,
            161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
            989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667,
            6668, 6669, 6679, 6697, 10080);

    private HttpProxyLimits() {
    }
}
