package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.util.List;

/**
 * A stored item's metadata (never its content). {@code contentSha256} is the hash of the exact
 * bytes stored (the message, not a number), which binds a later approval to that content.
 */
public record HeldItem(String referenceId, HoldKind kind, String state, String channel, String sender,
                       List<String> recipients, String rule, String policyVersion, String findingsSummary,
                       Instant receivedAt, Instant releaseAfter, long sizeBytes, String contentSha256) {
    public HeldItem {
        recipients = List.copyOf(recipients);
    }
}
