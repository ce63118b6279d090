package jp.mynaguard.proxy.ops;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.HoldStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Items per state in the hold store, read on scrape and reused for a short while, so seven
 * gauges and several scrapers cost one query. A store that cannot answer yields NaN (the
 * gauge shows the gap; readiness reports the store itself).
 */
final class HoldCounts {
    private static final Logger log = LoggerFactory.getLogger(HoldCounts.class);

    private final HoldStore source;
    private final long ttlNanos;
    private Map<HoldState, Long> last;
    private long readAt;

    HoldCounts(HoldStore source, Duration ttl) {
        this.source = source;
        this.ttlNanos = ttl.toNanos();
    }

    synchronized double count(HoldState state) {
        long now = System.nanoTime();
        if (last == null || now - readAt >= ttlNanos) {
            readAt = now;
            try {
                last = source.countByState();
            } catch (IOException | RuntimeException e) {
                log.debug("cannot count held items: {}", e.toString());
                last = null;
                return Double.NaN;
            }
        }
        return last == null ? Double.NaN : last.getOrDefault(state, 0L);
    }
}
