package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome;

/**
 * What the workflow and the console need about an item besides its envelope, recorded when it is
 * held: who decides (approvers, backups), when (remind, escalate, expire) and what people are
 * shown (subject, attachments, findings). Never content and never a digit of a number: the
 * subject and locations are masked ({@link MetadataMask}), findings carry the masked form only.
 *
 * <p>The subject, the attachment names and the external recipients are sealed under the item's
 * data key like the envelope (they are gone with it after retention); findings, approvers and
 * times stay as plain metadata for the audit period.
 *
 * @param approvers        who is asked first (lower-case addresses); never the sender or a recipient
 * @param backupApprovers  who is asked after escalation
 * @param remindAt         when the approvers are reminded; {@code null} for none
 * @param escalateAt       when the backups are asked; {@code null} when there are none
 * @param expiresAt        when an undecided item expires; {@code null} for never (quarantine, timed hold)
 * @param onExpiry         what expiry does (reject unless the policy says release)
 * @param senderNotified   the SMTP session already sent the sender a notice (the rule's {@code notify: [sender]})
 * @param noApprover       an approval that found nobody eligible and fell back to quarantine
 */
public record HoldDetails(String subject, List<HoldWorkflow.Attachment> attachments, List<HoldWorkflow.Finding> findings,
                          List<String> approvers, List<String> backupApprovers, List<String> externalRecipients,
                          Instant remindAt, Instant escalateAt, Instant expiresAt, ExpiryOutcome onExpiry,
                          boolean senderNotified, boolean noApprover) {
    /** For items recorded without details (e.g. by a store of an older version). */
    public static final HoldDetails NONE = new HoldDetails("", List.of(), List.of(), List.of(), List.of(), List.of(),
            null, null, null, ExpiryOutcome.REJECT, false, false);

    public HoldDetails {
        subject = MetadataMask.mask(Objects.requireNonNullElse(subject, ""));
        attachments = List.copyOf(attachments);
        findings = List.copyOf(findings);
        approvers = List.copyOf(approvers);
        backupApprovers = List.copyOf(backupApprovers);
        externalRecipients = List.copyOf(externalRecipients);
        onExpiry = Objects.requireNonNullElse(onExpiry, ExpiryOutcome.REJECT);
    }

    /** The same details with the sealed parts (subject, attachments, external recipients) left out. */
    HoldDetails withoutSealed() {
        return new HoldDetails("", List.of(), findings, approvers, backupApprovers, List.of(), remindAt, escalateAt,
                expiresAt, onExpiry, senderNotified, noApprover);
    }
}
