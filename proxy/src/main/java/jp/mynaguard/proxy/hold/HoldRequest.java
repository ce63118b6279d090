package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jp.mynaguard.policy.extract.InputSource;

/**
 * What the SMTP session (or the HTTP proxy) hands to the store.
 *
 * @param referenceId   the id the sender was given ({@link jp.mynaguard.proxy.ReferenceId})
 * @param kind          quarantine, hold or approve
 * @param channel       "smtp" or "http"
 * @param sender        MAIL FROM / authenticated user's address
 * @param recipients    RCPT TO addresses exactly as they will be used on release
 * @param rule          name of the policy rule that decided
 * @param policyVersion content hash of the policy that decided
 * @param findingsSummary masked, digit-free summary, e.g. "MY_NUMBER HIGH x3 (attachment:名簿.csv)"
 * @param receivedAt    when the message was received
 * @param releaseAfter  for HOLD: when it releases itself; otherwise {@code null}
 * @param content       the exact bytes that would be released (with Bcc conversion/tags applied)
 * @param details       approvers, deadlines, subject, attachments, findings ({@link HoldDetails#NONE} when unknown)
 */
public record HoldRequest(String referenceId, HoldKind kind, String channel, String sender, List<String> recipients,
                          String rule, String policyVersion, String findingsSummary, Instant receivedAt,
                          Instant releaseAfter, InputSource content, HoldDetails details) {
    /** Without workflow details (the HTTP proxy's quarantine, tests). */
    public HoldRequest(String referenceId, HoldKind kind, String channel, String sender, List<String> recipients,
                       String rule, String policyVersion, String findingsSummary, Instant receivedAt,
                       Instant releaseAfter, InputSource content) {
        this(referenceId, kind, channel, sender, recipients, rule, policyVersion, findingsSummary, receivedAt,
                releaseAfter, content, HoldDetails.NONE);
    }

    public HoldRequest {
        Objects.requireNonNull(referenceId, "referenceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(findingsSummary, "findingsSummary");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(content, "content");
        details = Objects.requireNonNullElse(details, HoldDetails.NONE);
    }
}
