package jp.mynaguard.proxy.hold;

import java.util.Locale;

/**
 * Who may see and do what with an item: the rules of {@link HoldWorkflow}, as pure functions so
 * they can be tested one by one. Addresses compare without case.
 *
 * <ul>
 * <li>See: admins and auditors every item; the sender their own; approvers (with the APPROVER
 * role) the approval items that list them, backups once escalated. Anyone else is told the item
 * does not exist.</li>
 * <li>Decide (approve or reject), separation of duties first: never the sender, never a
 * recipient, whatever their roles. Then quarantine items: admins only. Approval items: their
 * listed approvers (APPROVER role), their backups once escalated, and admins (the documented
 * fallback when approvers are absent). Timed holds release themselves; an admin may decide one
 * early.</li>
 * <li>Cancel: the sender, of a timed hold or an approval request (a quarantined message is the
 * admins' to decide).</li>
 * <li>Reveal: the REVEAL role on top of seeing the item.</li>
 * </ul>
 */
final class Permissions {
    private Permissions() {
    }

    static boolean isSender(Actor a, StoredItem s) {
        return same(a.address(), s.item().sender());
    }

    static boolean isRecipient(Actor a, StoredItem s) {
        return s.item().recipients().stream().anyMatch(r -> same(a.address(), r))
                || s.details().externalRecipients().stream().anyMatch(r -> same(a.address(), r));
    }

    static boolean isListedApprover(Actor a, StoredItem s) {
        return a.has(Role.APPROVER) && !a.address().isBlank()
                && s.details().approvers().contains(a.address().toLowerCase(Locale.ROOT));
    }

    static boolean isEscalatedBackup(Actor a, StoredItem s) {
        return a.has(Role.APPROVER) && !a.address().isBlank() && s.escalatedAt() != null
                && s.details().backupApprovers().contains(a.address().toLowerCase(Locale.ROOT));
    }

    static boolean maySee(Actor a, StoredItem s) {
        return a.has(Role.ADMIN) || a.has(Role.AUDITOR) || isSender(a, s)
                || s.kind() == HoldKind.APPROVE && (isListedApprover(a, s) || isEscalatedBackup(a, s));
    }

    /** Why {@code a} may not approve or reject {@code s} (whatever its state), or {@code null} when they may. */
    static String decideRefusal(Actor a, StoredItem s) {
        if (isSender(a, s)) {
            return "the sender cannot decide on their own message";
        }
        if (isRecipient(a, s)) {
            return "a recipient cannot decide on a message addressed to them";
        }
        return switch (s.kind()) {
            case QUARANTINE -> a.has(Role.ADMIN) ? null : "quarantined messages are reviewed by an administrator";
            case HOLD -> a.has(Role.ADMIN) ? null : "a timed hold releases itself; only an administrator may decide it early";
            case APPROVE -> isListedApprover(a, s) || isEscalatedBackup(a, s) || a.has(Role.ADMIN) ? null
                    : "not an approver of this message";
        };
    }

    /** Why {@code a} may not cancel {@code s}, or {@code null} when they may. */
    static String cancelRefusal(Actor a, StoredItem s) {
        if (!isSender(a, s)) {
            return "only the sender can cancel a held message";
        }
        if (s.kind() == HoldKind.QUARANTINE) {
            return "a quarantined message is decided by an administrator";
        }
        return null;
    }

    /** Whether {@code a} may approve or reject {@code s} now. */
    static boolean mayDecide(Actor a, StoredItem s) {
        return s.state() == HoldState.HELD && decideRefusal(a, s) == null;
    }

    private static boolean same(String actor, String address) {
        return actor != null && !actor.isBlank() && address != null && actor.equalsIgnoreCase(address);
    }
}
