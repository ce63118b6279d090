package jp.mynaguard.proxy.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record for the audit trail: a decision, a console action, a release or bounce, a policy
 * reload, a passthrough tunnel. Fields are names to strings, numbers, booleans, lists or maps of
 * those. Never a digit of a My Number or a hash of one: counts, types, levels, locations only.
 *
 * <pre>{@code
 * audit.record(AuditEvent.of("decision").channel("smtp").ref(ref).user(user)
 *         .field("rule", rule).field("action", "block").build());
 * }</pre>
 */
public record AuditEvent(String type, Instant time, Map<String, Object> fields) {
    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Event types in use; others are allowed, these are the ones search and reports know. */
    public static final String DECISION = "decision";
    public static final String CONSOLE = "console";
    public static final String RELEASE = "release";
    public static final String BOUNCE = "bounce";
    public static final String POLICY_RELOAD = "policy.reload";
    public static final String TUNNEL = "tunnel";

    public static Builder of(String type) {
        return new Builder(type);
    }

    public static final class Builder {
        private final String type;
        private Instant time = Instant.now();
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String type) {
            this.type = type;
        }

        public Builder time(Instant t) {
            this.time = t;
            return this;
        }

        public Builder channel(String channel) {
            return field("channel", channel);
        }

        public Builder ref(String referenceId) {
            return field("ref", referenceId);
        }

        public Builder user(String user) {
            return field("user", user);
        }

        public Builder action(String action) {
            return field("action", action);
        }

        /** Adds a field; {@code null} values are left out. */
        public Builder field(String name, Object value) {
            if (value != null) {
                fields.put(name, value instanceof List<?> l ? List.copyOf(l) : value);
            }
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(type, time, fields);
        }
    }
}
