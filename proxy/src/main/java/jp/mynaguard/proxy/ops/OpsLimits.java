package jp.mynaguard.proxy.ops;

import java.time.Duration;

/** Every limit and interval of the operations endpoints, with the reason for its value. */
public final class OpsLimits {
    /**
     * How long hold-store counts are reused: a scrape reads seven gauges and several scrapers may
     * poll; one GROUP BY on the state index per five seconds is plenty for a 15 s scrape interval.
     */
    public static final Duration HOLD_COUNT_CACHE = Duration.ofSeconds(5);

    /**
     * An upstream session that succeeded this recently counts as "reachable" without a probe:
     * live traffic is the best evidence, and probing a busy smarthost would only add load.
     */
    public static final Duration UPSTREAM_FRESH = Duration.ofSeconds(60);

    /** How long one readiness check (a probe of the upstream, a query of the store) may take. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    /**
     * How long a readiness answer is reused: orchestrators probe every few seconds, and each probe
     * of the upstream is a real SMTP session; within this window they all get the same answer.
     */
    public static final Duration READINESS_CACHE = Duration.ofSeconds(5);

    /** Largest request the ops endpoints accept (they have no body; this bounds the aggregator). */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;

    /** An ops connection idle this long is closed (a scraper reconnects; nothing else keeps one). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private OpsLimits() {
    }
}
