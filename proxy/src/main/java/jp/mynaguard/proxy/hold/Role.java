package jp.mynaguard.proxy.hold;

/**
 * What a console user may do. Roles come from the users file; a user may have several. Whether an
 * approver may decide a particular item is not a role question: the item names its approvers.
 */
public enum Role {
    /** Sees and cancels their own held items. Every user has it. */
    SENDER,
    /** Decides approval items that name them (or, after escalation, name them as backup). */
    APPROVER,
    /** Reviews quarantined items, sees every item, the policy status and the users. */
    ADMIN,
    /** Reads every item and the audit, decides nothing. */
    AUDITOR,
    /** May see the decoded content of an item they may see; every use is recorded. */
    REVEAL
}
