package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.util.Set;

/**
 * Which items to read, newest first. Empty sets and {@code null}s mean any.
 *
 * @param senderExact    the sender's address, compared without case (a user's own items)
 * @param senderContains a part of the sender's address, without case (admin search)
 * @param approver       an address that may decide: a listed approver, or a backup once escalated
 */
public record ItemQuery(Set<HoldState> states, Set<HoldKind> kinds, Instant from, Instant to, String senderExact,
                        String senderContains, String rule, String approver, int limit) {
    public ItemQuery {
        states = states == null ? Set.of() : Set.copyOf(states);
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static ItemQuery all(int limit) {
        return new ItemQuery(Set.of(), Set.of(), null, null, null, null, null, null, limit);
    }

    public ItemQuery withStates(Set<HoldState> s) {
        return new ItemQuery(s, kinds, from, to, senderExact, senderContains, rule, approver, limit);
    }

    public ItemQuery withKinds(Set<HoldKind> k) {
        return new ItemQuery(states, k, from, to, senderExact, senderContains, rule, approver, limit);
    }

    public ItemQuery withSender(String address) {
        return new ItemQuery(states, kinds, from, to, address, senderContains, rule, approver, limit);
    }

    public ItemQuery withApprover(String address) {
        return new ItemQuery(states, kinds, from, to, senderExact, senderContains, rule, address, limit);
    }

    /** What the scheduler looks for on each tick. */
    public enum Due {
        /** HELD items nobody has been told about yet. */
        ANNOUNCE,
        /** Timed holds whose delay is over. */
        TIMED_RELEASE,
        /** Approvals whose reminder time has come. */
        REMIND,
        /** Approvals whose backups are to be asked now. */
        ESCALATE,
        /** Undecided items past their expiry. */
        EXPIRE,
        /** Final items whose retention is over (the time passed is the cut-off) and still have content. */
        PURGE
    }
}
