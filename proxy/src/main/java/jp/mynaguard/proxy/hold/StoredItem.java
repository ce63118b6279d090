package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An item as the workflow sees it: its metadata, the details recorded at hold time, and where it
 * is in the workflow. {@link #rowVersion()} is what a {@link StateChange} compares-and-sets
 * against, so two deciders (two clicks, two gateway instances) never both win.
 *
 * @param announcedAt     when the approvers, admins and sender were told it waits; {@code null} before
 * @param remindedAt      when the approvers were reminded
 * @param escalatedAt     when the backups were asked (from then on they may decide)
 * @param attempts        release attempts so far
 * @param nextAttemptAt   when the next release attempt is due (APPROVED items)
 * @param releaseDeadline after this, a deferred release is given up and bounced
 * @param releaseOwner    the gateway instance releasing it now (RELEASING), with its lease
 * @param leaseUntil      when another instance may take over a release whose owner went away
 * @param lastError       the upstream's last refusal or failure (masked)
 * @param deliveredCount  recipients the upstream has accepted the message for
 * @param remainingRecipients recipients still to be released to after a partial attempt; {@code null} = all
 * @param approvedBinding the {@link ContentBinding} the decision was made for; release checks it
 * @param finalAt         when it reached a final state (retention counts from here)
 * @param contentDestroyedAt when its data key and content were destroyed (retention)
 */
public record StoredItem(HeldItem item, HoldDetails details, long rowVersion, Instant announcedAt, Instant remindedAt,
                         Instant escalatedAt, int attempts, Instant nextAttemptAt, Instant releaseDeadline,
                         String releaseOwner, Instant leaseUntil, String lastError, int deliveredCount,
                         List<String> remainingRecipients, String approvedBinding, Instant finalAt,
                         Instant contentDestroyedAt) {
    public StoredItem {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(details, "details");
        remainingRecipients = remainingRecipients == null ? null : List.copyOf(remainingRecipients);
    }

    public String referenceId() {
        return item.referenceId();
    }

    public HoldState state() {
        return HoldState.valueOf(item.state());
    }

    public HoldKind kind() {
        return item.kind();
    }

    public boolean contentDestroyed() {
        return contentDestroyedAt != null;
    }

    /** Recipients a release still has to reach. */
    public List<String> recipientsToRelease() {
        return remainingRecipients != null ? remainingRecipients : item.recipients();
    }

    /** The binding of the item as stored now: content hash, sender and recipients. */
    public String binding() {
        return ContentBinding.of(item);
    }
}
