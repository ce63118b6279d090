package jp.mynaguard.policy.rules;

import java.util.Locale;

/** What happens to a message or upload. */
public enum Action {
    /** Deliver / forward unchanged (side effects may still apply). */
    ALLOW,
    /** Refuse: SMTP 550 or an HTTP block page, with a reason. */
    BLOCK,
    /** Keep for review by the security team; nothing is sent until someone releases it. */
    QUARANTINE,
    /** 一時保留: keep for a short delay during which the sender may cancel, then send. */
    HOLD,
    /** Second approval (上長承認): keep until an approver approves or rejects, or it expires. */
    APPROVE;

    /** The word used in policies and output, e.g. {@code quarantine}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
