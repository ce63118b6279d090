package jp.mynaguard.proxy.hold;

/**
 * What the SMTP session tells the workflow about items it refused to hold. An approval with
 * nobody eligible to approve is blocked (fail closed, never delivered unreviewed) and the admins
 * are to be told; the workflow does that and records it.
 */
public interface HoldEvents {
    HoldEvents NONE = (ref, rule, sender, recipientCount, findingsSummary) -> { };

    /**
     * An approval found no eligible approver (only the sender, only recipients, or nobody) and the
     * message was refused with {@code 550 5.7.1}. All values are masked; no content.
     */
    void approvalBlocked(String referenceId, String rule, String sender, int recipientCount, String findingsSummary);
}
