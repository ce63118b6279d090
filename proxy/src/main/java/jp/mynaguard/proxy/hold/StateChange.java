package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One atomic step of an item: from the state and row version the caller read to a new state
 * (possibly the same, for reminders and other actions), with some workflow fields set, and a
 * transition recorded (who, when, what, comment) in the same database transaction. The store
 * applies it only when the item is still in {@link #from()} at {@link #rowVersion()}
 * (compare-and-set); otherwise nothing changes and the caller lost the race.
 *
 * <pre>{@code
 * store.apply(StateChange.of(item, HoldState.APPROVED, "approve", actor.login(), now)
 *         .comment(comment).set(Field.APPROVED_BINDING, item.binding()).build());
 * }</pre>
 */
public record StateChange(String referenceId, HoldState from, long rowVersion, HoldState to, String action,
                          String actor, String comment, Instant at, Map<Field, Object> sets) {

    /** Workflow columns a change may set; the value type is given per field. */
    public enum Field {
        /** Instant */ ANNOUNCED_AT,
        /** Instant */ REMINDED_AT,
        /** Instant */ ESCALATED_AT,
        /** Integer */ ATTEMPTS,
        /** Instant or null */ NEXT_ATTEMPT_AT,
        /** Instant */ RELEASE_DEADLINE,
        /** String or null */ RELEASE_OWNER,
        /** Instant or null */ LEASE_UNTIL,
        /** String or null (masked by the store) */ LAST_ERROR,
        /** Integer */ DELIVERED_COUNT,
        /** List of String, sealed by the store; null = all recipients */ REMAINING_RECIPIENTS,
        /** String */ APPROVED_BINDING
    }

    public StateChange {
        Objects.requireNonNull(referenceId, "referenceId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        if (from.isFinal()) {
            throw new IllegalArgumentException("no transition leaves the final state " + from);
        }
        EnumMap<Field, Object> copy = new EnumMap<>(Field.class);
        copy.putAll(sets);
        sets = Collections.unmodifiableMap(copy);
    }

    /** A change of {@code current} (its state and row version are the expectation). */
    public static Builder of(StoredItem current, HoldState to, String action, String actor, Instant at) {
        return new Builder(current.referenceId(), current.state(), current.rowVersion(), to, action, actor, at);
    }

    public static final class Builder {
        private final String referenceId;
        private final HoldState from;
        private final long rowVersion;
        private final HoldState to;
        private final String action;
        private final String actor;
        private final Instant at;
        private String comment;
        private final Map<Field, Object> sets = new EnumMap<>(Field.class);

        private Builder(String referenceId, HoldState from, long rowVersion, HoldState to, String action, String actor,
                        Instant at) {
            this.referenceId = referenceId;
            this.from = from;
            this.rowVersion = rowVersion;
            this.to = to;
            this.action = action;
            this.actor = actor;
            this.at = at;
        }

        public Builder comment(String c) {
            this.comment = c == null || c.isBlank() ? null : c;
            return this;
        }

        public Builder set(Field f, Object value) {
            check(f, value);
            sets.put(f, value);
            return this;
        }

        public StateChange build() {
            return new StateChange(referenceId, from, rowVersion, to, action, actor, comment, at, sets);
        }

        private static void check(Field f, Object v) {
            boolean ok = switch (f) {
                case ANNOUNCED_AT, REMINDED_AT, ESCALATED_AT, RELEASE_DEADLINE -> v instanceof Instant;
                case NEXT_ATTEMPT_AT, LEASE_UNTIL -> v == null || v instanceof Instant;
                case ATTEMPTS, DELIVERED_COUNT -> v instanceof Integer;
                case RELEASE_OWNER, LAST_ERROR -> v == null || v instanceof String;
                case APPROVED_BINDING -> v instanceof String;
                case REMAINING_RECIPIENTS -> v == null || v instanceof List<?>;
            };
            if (!ok) {
                throw new IllegalArgumentException(f + ": wrong value type");
            }
        }
    }
}
