package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.util.EnumMap;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable store of quarantined, held and approval-pending messages. The embedded default keeps
 * an SQLite database and encrypted content files under the data directory
 * ({@link SqliteHoldStore}); {@link PostgresHoldStore} serves several gateway instances.
 *
 * <p>{@link #hold} returns only after the item and its content are durable: the SMTP session
 * answers {@code 250} after it, and {@code 451} when it throws. Content is encrypted with a
 * per-item key; nothing in the store holds a My Number in clear.
 *
 * <p>Every state change goes through {@link #apply}: a compare-and-set on the item's state and
 * row version, with the transition recorded in the same database transaction. No in-memory lock
 * is involved, so two gateway instances sharing one database are as safe as two threads.
 */
public interface HoldStore extends AutoCloseable {
    /** Stores an item durably. @throws IOException when it could not be made durable (then nothing was stored) */
    HeldItem hold(HoldRequest request) throws IOException;

    /** Items, newest first, at most {@code limit}. */
    List<HeldItem> list(int limit) throws IOException;

    Optional<HeldItem> find(String referenceId) throws IOException;

    /**
     * Lets an approved upload through once (HTTP channel): atomically moves the newest item that
     * is APPROVED, was approved at or after {@code approvedSince}, was sent by {@code sender} to
     * {@code host} (its one recipient) and has {@code contentSha256} (the hash of the stored body
     * bytes, never of a number) to RELEASED, recording the transition, and returns it. Empty when
     * nothing matches or another request consumed it first.
     */
    Optional<HeldItem> consumeApproval(String sender, String host, String contentSha256, Instant approvedSince)
            throws IOException;

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

    /**
     * The item's content, decrypted and checked segment by segment, and at its end against
     * {@link HeldItem#contentSha256()}. Any damage, tampering or wrong key is an IOException,
     * possibly after some bytes were read: a consumer must not act on content it did not read
     * to the end without error. @throws IOException also when the content was destroyed
     */
    InputStream openContent(String referenceId) throws IOException;

    /** Everything that happened to an item, oldest first (the first is {@code null → HELD}). */
    List<HoldWorkflow.Transition> transitions(String referenceId) throws IOException;

    /** The item with its details and workflow fields. */
    Optional<StoredItem> entry(String referenceId) throws IOException;

    /** Items matching {@code query}, newest first. */
    List<StoredItem> query(ItemQuery query) throws IOException;

    /** Items the scheduler has to act on at {@code now} (for PURGE: final before {@code now}), oldest first. */
    List<StoredItem> due(ItemQuery.Due what, Instant now, int limit) throws IOException;

    /**
     * Applies {@code change} if the item is still in its {@code from} state at its row version.
     *
     * @return the item after the change, or empty when it had changed meanwhile (nothing was done)
     */
    Optional<StoredItem> apply(StateChange change) throws IOException;

    /** Records an action that changes no state (e.g. a reveal), whatever the item's state. */
    void record(String referenceId, String action, String actor, String comment, Instant at) throws IOException;

    /**
     * Atomically claims up to {@code limit} releases for {@code owner}: APPROVED SMTP items whose
     * next attempt is due, and RELEASING items whose owner's lease has run out (a crashed or
     * stalled instance). Each becomes RELEASING, owned by {@code owner} until {@code leaseUntil}.
     */
    List<StoredItem> claimReleases(String owner, Instant now, Instant leaseUntil, int limit) throws IOException;

    /**
     * Crypto-shredding: deletes the item's wrapped data key, then its content. The metadata stays.
     * Only for items in a final state. @return false when there was nothing (left) to destroy
     */
    boolean destroyContent(String referenceId, String actor, Instant at) throws IOException;

    @Override
    void close() throws IOException;
}
