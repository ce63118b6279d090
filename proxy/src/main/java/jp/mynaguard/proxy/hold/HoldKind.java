package jp.mynaguard.proxy.hold;

/** Why an item is in the hold store; mirrors the policy actions that keep mail. */
public enum HoldKind {
    /** Kept for review by the security/admin role. */
    QUARANTINE,
    /** 一時保留: released by itself after a delay unless the sender cancels. */
    HOLD,
    /** Second approval (上長承認) before it may go out. */
    APPROVE
}
