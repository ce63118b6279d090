package jp.mynaguard.certs;

import java.time.Duration;

/**
 * Every number the certificate module works with, in one place. Changing one here changes it
 * everywhere; the tests refer to these constants, not to copies of the values.
 */
public final class CertLimits {
    private CertLimits() {
    }

    /** How long a newly created CA certificate is valid. */
    public static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);

    /**
     * Interception leaves: at most 199 days, as mitmproxy issues them, well under Apple's 398-day
     * limit for server certificates (and under the 200-day maximum the CA/Browser Forum phases in
     * from 2026), so no client rejects them for their lifetime.
     */
    public static final Duration LEAF_VALIDITY = Duration.ofDays(199);

    /** notBefore of a leaf lies this far back: a client whose clock runs a little slow still accepts it. */
    public static final Duration LEAF_BACKDATE = Duration.ofDays(1);

    /** Leaves kept per gateway (least recently used dropped first): a typical office visits far fewer HTTPS hosts a day. */
    public static final int LEAF_CACHE_SIZE = 1_000;

    /**
     * A cached leaf is minted anew after this long, well before {@link #LEAF_VALIDITY} runs out on a
     * gateway that runs for months.
     */
    public static final Duration LEAF_CACHE_TTL = Duration.ofDays(30);

    /** Subject CNs must be shorter than 64 characters (X.520 ub-common-name); longer names go into the SAN only. */
    public static final int MAX_COMMON_NAME = 63;

    /** Longest DNS name (RFC 1035, without the trailing dot) and label. */
    public static final int MAX_DNS_NAME = 253;
    public static final int MAX_DNS_LABEL = 63;
}
