package jp.mynaguard.policy.rules;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a second approval (上長承認) works for one rule.
 *
 * @param approvers    sources asked first, in order
 * @param backups      sources asked when the first ones yield nobody (or only the sender)
 * @param expireAfter  a pending approval expires after this
 * @param remindBefore approvers are reminded this long before expiry (zero: no reminder)
 * @param onExpiry     what happens at expiry; {@link ExpiryOutcome#RELEASE} only when written explicitly
 * @param onNoApprover what happens when nobody can approve: {@link Action#BLOCK} unless set to
 *                     {@link Action#QUARANTINE}; never delivered unmoderated
 */
public record ApprovalSpec(List<ApproverSource> approvers, List<ApproverSource> backups, Duration expireAfter,
                           Duration remindBefore, ExpiryOutcome onExpiry, Action onNoApprover) {

    /** What happens to an approval nobody decided in time. */
    public enum ExpiryOutcome {
        REJECT, RELEASE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final ApprovalSpec DEFAULTS = new ApprovalSpec(
            List.of(ApproverSource.SENDER_GROUP_APPROVERS, ApproverSource.MANAGER), List.of(),
            PolicyLimits.DEFAULT_APPROVAL_EXPIRY, PolicyLimits.DEFAULT_APPROVAL_REMINDER,
            ExpiryOutcome.REJECT, Action.BLOCK);

    public ApprovalSpec {
        approvers = List.copyOf(approvers);
        backups = List.copyOf(backups);
        Objects.requireNonNull(expireAfter, "expireAfter");
        Objects.requireNonNull(remindBefore, "remindBefore");
        Objects.requireNonNull(onExpiry, "onExpiry");
        if (onNoApprover != Action.BLOCK && onNoApprover != Action.QUARANTINE) {
            throw new IllegalArgumentException("on_no_approver must be block or quarantine");
        }
    }
}
