package jp.mynaguard.proxy.hold;

/**
 * Every fixed limit of the hold store and its workflow, with the reason for it, in one place.
 * (What an admin may set, with its default, is in {@link HoldSettings}.) Hitting a limit never
 * loses anything silently: lists say how many more there were, input beyond a limit is refused
 * with a clear error.
 */
public final class HoldLimits {
    /** Findings recorded per item; more are summed up in one last entry (a roster may hold thousands). */
    public static final int MAX_FINDINGS = 200;
    /** Attachments listed per item; more are summed up in one last entry. */
    public static final int MAX_ATTACHMENTS = 200;
    /** Nesting and parts walked to list attachments (as the SMTP header parse does). */
    public static final int MAX_MIME_DEPTH = 10;
    public static final int MAX_MIME_PARTS = 1000;
    /** List length when none is asked for. */
    public static final int DEFAULT_LIST = 100;
    /** Largest list the workflow returns at once, whatever is asked for. */
    public static final int MAX_LIST = 1000;
    /** Longest comment a person may write (characters); longer is refused, not cut. */
    public static final int MAX_COMMENT_CHARS = 2000;
    /** Longest upstream error kept per item (characters): one SMTP reply, with room to spare. */
    public static final int MAX_ERROR_CHARS = 500;
    /** Largest notice template file read; a larger one is ignored for the built-in one. */
    public static final int MAX_TEMPLATE_BYTES = 64 * 1024;
    /** Longest Diagnostic-Code in a bounce (one header field, folded). */
    public static final int MAX_DIAGNOSTIC_CHARS = 900;
    /** Header block of a held message copied (masked) into a bounce. */
    public static final int MAX_BOUNCE_HEADER_BYTES = 16 * 1024;
    /** Ciphertext bytes per row of the PostgreSQL content table. */
    public static final int CONTENT_CHUNK_BYTES = 1024 * 1024;
    /** Released content kept in memory while it is relayed; larger goes to a private spool file. */
    public static final int RELEASE_SPOOL_THRESHOLD = 1024 * 1024;

    /**
     * How long stopping the gateway waits for releases in flight. An attempt still running after
     * that stays claimed and is taken over when its lease has run out.
     */
    public static final java.time.Duration SCHEDULER_STOP_WAIT = java.time.Duration.ofSeconds(30);

    private HoldLimits() {
    }
}
