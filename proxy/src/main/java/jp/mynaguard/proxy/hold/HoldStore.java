package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable store of quarantined, held and approval-pending messages. The embedded default keeps
 * an SQLite database and encrypted content files under the data directory; a PostgreSQL-backed
 * store serves several gateway instances.
 *
 * <p>{@link #hold} returns only after the item and its content are synced to disk: the SMTP
 * session answers {@code 250} after it, and {@code 451} when it throws. Content is encrypted
 * with a per-item key; nothing in the store holds a My Number in clear.
 */
public interface HoldStore extends AutoCloseable {
    /** Stores an item durably. @throws IOException when it could not be made durable (then nothing was stored) */
    HeldItem hold(HoldRequest request) throws IOException;

    /** Items, newest first, at most {@code limit}. */
    List<HeldItem> list(int limit) throws IOException;

    Optional<HeldItem> find(String referenceId) throws IOException;

    /**
     * How many items are in each state (the hold-store gauge of {@code /metrics}). Stores should
     * answer from an index; this default reads every item and is meant for test doubles.
     */
    default Map<HoldState, Long> countByState() throws IOException {
        Map<HoldState, Long> out = new EnumMap<>(HoldState.class);
        for (HeldItem i : list(Integer.MAX_VALUE)) {
            out.merge(HoldState.valueOf(i.state()), 1L, Long::sum);
        }
        return out;
    }

    /** Readiness ({@code /readyz}): returns when the store can answer, throws when it cannot. */
    default void ping() throws IOException {
        list(1);
    }

    @Override
    void close() throws IOException;
}
