package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
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
     * Lets an approved upload through once (HTTP channel): atomically moves the newest item that
     * is APPROVED, was approved at or after {@code approvedSince}, was sent by {@code sender} to
     * {@code host} (its one recipient) and has {@code contentSha256} (the hash of the stored body
     * bytes, never of a number) to RELEASED, recording the transition, and returns it. Empty when
     * nothing matches or another request consumed it first. Stores that keep no approvals return empty.
     */
    default Optional<HeldItem> consumeApproval(String sender, String host, String contentSha256, Instant approvedSince)
            throws IOException {
        return Optional.empty();
    }

    @Override
    void close() throws IOException;
}
