package jp.mynaguard.policy.rules;

import java.time.Duration;
import java.time.ZoneId;

/**
 * Every limit the policy loader enforces and every default the policy language assumes, in one
 * place, so that the README, the JSON Schema and the code can be checked against one list.
 *
 * <p>The limits protect the gateway from its own configuration: a policy file is written by an
 * admin, but it may also be a truncated upload, a binary pasted by mistake or a hostile YAML
 * document (alias bomb, deep nesting). Any of these must end in a clear error, never in an
 * {@link OutOfMemoryError} or a {@link StackOverflowError}.
 */
public final class PolicyLimits {

    // ---- limits on the input files ----

    /** Bytes of one policy or directory file. Real policies are a few kilobytes. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;
    /** Nesting of YAML collections. The language needs about 8; {@code any_of}/{@code not} add a few. */
    public static final int MAX_NESTING = 32;
    /** Aliases ({@code *name}) in one file. Anchors are handy for shared lists; bombs need many. */
    public static final int MAX_ALIASES = 50;
    /** YAML nodes visited while reading one file, counting aliased nodes each time they are used. */
    public static final int MAX_NODES = 200_000;
    /** Diagnostics reported for one load; past this the rest are summarised in one line. */
    public static final int MAX_DIAGNOSTICS = 200;
    /** Rules in one policy. */
    public static final int MAX_RULES = 10_000;
    /** Digits an allow-listed shape may fix; the rest must be wildcards, so no real number fits. */
    public static final int MAX_SHAPE_FIXED_DIGITS = 4;
    /** Edit distance up to which an unknown key gets a "did you mean" suggestion. */
    public static final int MAX_SUGGESTION_DISTANCE = 2;

    // ---- defaults of the language ----

    /** The only policy language version this code understands. */
    public static final int POLICY_VERSION = 1;
    /** Time zone for flow expiry dates unless the policy sets {@code timezone}. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Tokyo");
    /** {@code hold} (一時保留): how long a message waits before it is sent, unless cancelled. */
    public static final Duration DEFAULT_HOLD_DELAY = Duration.ofMinutes(5);
    /** {@code approve}: a pending approval expires after this. */
    public static final Duration DEFAULT_APPROVAL_EXPIRY = Duration.ofDays(3);
    /** {@code approve}: approvers are reminded this long before expiry. */
    public static final Duration DEFAULT_APPROVAL_REMINDER = Duration.ofDays(1);
    /** {@code policy check} warns about flows that expire within this window. */
    public static final Duration FLOW_EXPIRY_WARNING = Duration.ofDays(30);
    /** Longest {@code hold} delay: a hold is a short chance to cancel, not a quarantine. */
    public static final Duration MAX_HOLD_DELAY = Duration.ofHours(24);
    /** Longest approval expiry: held 特定個人情報 must not stay around indefinitely. */
    public static final Duration MAX_APPROVAL_EXPIRY = Duration.ofDays(30);

    // ---- hot reload ----

    /** How often the reloader compares the files' content even without a file-system event. */
    public static final Duration RELOAD_POLL_INTERVAL = Duration.ofSeconds(2);
    /** After a change event, wait this long for the editor to finish writing before reading. */
    public static final Duration RELOAD_SETTLE_TIME = Duration.ofMillis(100);

    private PolicyLimits() {
    }
}
