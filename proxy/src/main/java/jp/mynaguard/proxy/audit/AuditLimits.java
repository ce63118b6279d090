package jp.mynaguard.proxy.audit;

import java.time.Duration;

/**
 * Every limit and interval of the audit trail, with the reason for its default, in one place.
 * {@link AuditSettings} starts from these; gateway.yaml may override the ones it names.
 */
public final class AuditLimits {
    /**
     * Events waiting for the writer. A burst of this many is absorbed without the caller waiting;
     * at about 300 bytes a record that is a few MB of heap at most.
     */
    public static final int QUEUE_CAPACITY = 10_000;
    /**
     * From this share of the queue on, {@link AuditLog#accepting()} says no: the SMTP side then
     * answers 451 (try later) instead of deciding a message it could not record (fail closed),
     * while there is still room for the records of decisions already in flight.
     */
    public static final int QUEUE_HIGH_WATER_PERCENT = 90;
    /** A checkpoint seals the chain after this many records ... */
    public static final int CHECKPOINT_EVERY = 1_000;
    /** ... or after this long with unsealed records, whichever comes first. */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(60);
    /**
     * The signed head (the last record's number and hash, so a cut-off tail is noticed) is
     * rewritten at most this often while records keep coming, and as soon as the writer is idle.
     * After every batch it was an Ed25519 signature, a file and a rename per relayed message under
     * load: a fifth of the gateway's CPU. Checkpoints still write it at once, synced.
     */
    public static final Duration HEAD_INTERVAL = Duration.ofMillis(200);
    /** A file is closed (sealed by a checkpoint) and a new one begun from this size on; also at midnight UTC. */
    public static final long ROTATE_BYTES = 64L * 1024 * 1024;
    /** Smallest rotation size accepted in gateway.yaml (below that the seals outweigh the records). */
    public static final long MIN_ROTATE_BYTES = 64L * 1024;
    /** One record may not exceed this many bytes; larger events have their fields cut (and say so). */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    /** The writer retries a failed write (full disk) after this pause, doubling up to the maximum. */
    public static final Duration WRITE_RETRY_MIN = Duration.ofMillis(100);
    public static final Duration WRITE_RETRY_MAX = Duration.ofSeconds(10);
    /** How long {@link AuditLog#close()} waits for the writer to drain the queue. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** Records waiting for the syslog link; when it is down longer, the oldest are skipped (they stay in the local log). */
    public static final int SYSLOG_QUEUE = 20_000;
    /** Lines sent again after a reconnect: what a broken TCP connection may have swallowed (at least once). */
    public static final int SYSLOG_RESEND = 100;
    /** Reconnect to syslog after this pause, doubling up to the maximum. */
    public static final Duration SYSLOG_RETRY_MIN = Duration.ofMillis(500);
    public static final Duration SYSLOG_RETRY_MAX = Duration.ofSeconds(30);
    /** Connect and TLS handshake timeout for syslog. */
    public static final Duration SYSLOG_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** RFC 5425 requires receivers to take at least 2048 octets; 8 KiB is what rsyslog and syslog-ng take by default. */
    public static final int SYSLOG_MAX_MESSAGE = 8 * 1024;

    /** Alerts waiting to be sent; more at once than this is an incident storm, the rest is only in the audit log. */
    public static final int ALERT_QUEUE = 1_000;
    /** Webhook: connect + response timeout per attempt. */
    public static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(5);
    /** Webhook: attempts in all (the first and the retries), with a doubling pause starting here. */
    public static final int WEBHOOK_ATTEMPTS = 4;
    public static final Duration WEBHOOK_RETRY_PAUSE = Duration.ofSeconds(1);
    /**
     * "Bulk" for the default incident criteria: this many distinct My Numbers in one message or
     * upload is a roster, not one employee's own number.
     */
    public static final int BULK_NUMBERS = 10;
    /** Example reference ids printed per changed decision in {@code policy replay}. */
    public static final int REPLAY_EXAMPLES = 5;
    /** Findings re-created for one replayed record at most (more than any real message has distinct numbers). */
    public static final int REPLAY_MAX_FINDINGS = 100_000;
    /** Locations kept per decision record (the counts stay complete). */
    public static final int MAX_LOCATIONS = 20;

    private AuditLimits() {
    }
}
