package jp.mynaguard.proxy.hold;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The hold database's state changes: compare-and-set updates of {@code held_items} with their
 * {@code item_transitions} row inserted in the same transaction, release claims, the key
 * destruction of retention, and reading the history back.
 */
final class ItemTransitions {
    private final Connections db;
    private final SqlDialect dialect;

    ItemTransitions(Connections db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    /**
     * Compare-and-set: applies {@code ch} only if the item is still in its {@code from} state at its
     * row version, and records the transition in the same transaction.
     *
     * @param values the change's fields, encoded for the database (sealed, masked)
     */
    boolean apply(StateChange ch, Map<StateChange.Field, Object> values) throws SQLException {
        return db.transaction(c -> {
            StringBuilder sql = new StringBuilder("UPDATE held_items SET state = ?, row_version = row_version + 1,"
                    + " updated_at = ?");
            if (ch.to().isFinal()) {
                sql.append(", final_at = ?");
            }
            for (StateChange.Field f : values.keySet()) {
                sql.append(", ").append(column(f)).append(" = ?");
            }
            sql.append(" WHERE reference_id = ? AND state = ? AND row_version = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, ch.to().name());
                ps.setLong(i++, ch.at().toEpochMilli());
                if (ch.to().isFinal()) {
                    ps.setLong(i++, ch.at().toEpochMilli());
                }
                for (Map.Entry<StateChange.Field, Object> e : values.entrySet()) {
                    bind(ps, i++, e.getKey(), e.getValue());
                }
                ps.setString(i++, ch.referenceId());
                ps.setString(i++, ch.from().name());
                ps.setLong(i, ch.rowVersion());
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            insert(c, ch.referenceId(), ch.from().name(), ch.to().name(), ch.action(), ch.actor(),
                    ch.comment(), ch.at());
            return true;
        });
    }

    /** An action without a state change (the current state is recorded as from and to). */
    void record(String ref, String action, String actor, String comment, Instant at) throws SQLException {
        db.transaction(c -> {
            String state;
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM held_items WHERE reference_id = ?")) {
                ps.setString(1, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no held item " + ref);
                    }
                    state = rs.getString(1);
                }
            }
            insert(c, ref, state, state, action, actor, comment, at);
            return null;
        });
    }

    /** Claims due releases for {@code owner}; see {@link HoldStore#claimReleases}. Returns the claimed ids. */
    List<String> claimReleases(String owner, Instant now, Instant leaseUntil, int limit) throws SQLException {
        return db.transaction(c -> {
            record Candidate(String ref, String state, long version) {
            }
            List<Candidate> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT reference_id, state, row_version FROM held_items"
                    + " WHERE channel = 'smtp' AND ((state = 'APPROVED' AND (next_attempt_at IS NULL OR next_attempt_at <= ?))"
                    + " OR (state = 'RELEASING' AND lease_until < ?))"
                    + " ORDER BY received_at, reference_id LIMIT ?" + dialect.lockForClaim())) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, now.toEpochMilli());
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Candidate(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            List<String> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE held_items SET state = 'RELEASING',"
                    + " release_owner = ?, lease_until = ?, row_version = row_version + 1, updated_at = ?"
                    + " WHERE reference_id = ? AND state = ? AND row_version = ?")) {
                for (Candidate k : candidates) {
                    ps.setString(1, owner);
                    ps.setLong(2, leaseUntil.toEpochMilli());
                    ps.setLong(3, now.toEpochMilli());
                    ps.setString(4, k.ref());
                    ps.setString(5, k.state());
                    ps.setLong(6, k.version());
                    if (ps.executeUpdate() == 1) {
                        boolean again = k.state().equals(HoldState.RELEASING.name());
                        insert(c, k.ref(), k.state(), HoldState.RELEASING.name(),
                                again ? "release-reclaimed" : "release-claimed", owner,
                                again ? "the previous owner's lease ran out" : null, now);
                        claimed.add(k.ref());
                    }
                }
            }
            return claimed;
        });
    }

    /**
     * Crypto-shredding, first step: forgets the wrapped data key (and the sealed remainder of the
     * envelope) of a final item, recorded as a "purge". @return the content handle to delete now,
     * or empty when there was nothing to destroy
     */
    Optional<String> destroyKey(String ref, String actor, Instant at) throws SQLException {
        return db.transaction(c -> {
            String handle;
            String state;
            try (PreparedStatement ps = c.prepareStatement("SELECT content_file, state FROM held_items"
                    + " WHERE reference_id = ? AND final_at IS NOT NULL AND content_destroyed_at IS NULL")) {
                ps.setString(1, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    handle = rs.getString(1);
                    state = rs.getString(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE held_items SET wrapped_key = NULL, content_file = NULL,"
                    + " remaining = NULL, content_destroyed_at = ?, updated_at = ?, row_version = row_version + 1"
                    + " WHERE reference_id = ? AND content_destroyed_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, ref);
                if (ps.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            insert(c, ref, state, state, "purge", actor, "content destroyed after the retention period", at);
            return Optional.of(handle == null ? "" : handle);
        });
    }

    List<HoldWorkflow.Transition> transitions(String referenceId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT from_state, to_state, action, actor, at, comment"
                    + " FROM item_transitions WHERE reference_id = ? ORDER BY id")) {
                ps.setString(1, referenceId);
                List<HoldWorkflow.Transition> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String from = rs.getString(1);
                        HoldState to = HoldState.valueOf(rs.getString(2));
                        String action = rs.getString(3);
                        if (action == null) {
                            // Version 1 recorded no action: its only transition was the hold itself.
                            action = from == null ? "hold" : to.name().toLowerCase(Locale.ROOT);
                        }
                        out.add(new HoldWorkflow.Transition(from == null ? null : HoldState.valueOf(from), to, action,
                                rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
                    }
                }
                return out;
            }
        });
    }

    static void insert(Connection c, String ref, String from, String to, String action, String actor,
                                         String comment, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item_transitions"
                + " (reference_id, from_state, to_state, at, actor, comment, action) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, ref);
            ps.setString(2, from);
            ps.setString(3, to);
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, actor);
            ps.setString(6, comment);
            ps.setString(7, action);
            ps.executeUpdate();
        }
    }

    private static String column(StateChange.Field f) {
        return switch (f) {
            case ANNOUNCED_AT -> "announced_at";
            case REMINDED_AT -> "reminded_at";
            case ESCALATED_AT -> "escalated_at";
            case ATTEMPTS -> "attempts";
            case NEXT_ATTEMPT_AT -> "next_attempt_at";
            case RELEASE_DEADLINE -> "release_deadline";
            case RELEASE_OWNER -> "release_owner";
            case LEASE_UNTIL -> "lease_until";
            case LAST_ERROR -> "last_error";
            case DELIVERED_COUNT -> "delivered_count";
            case REMAINING_RECIPIENTS -> "remaining";
            case APPROVED_BINDING -> "approved_binding";
        };
    }

    private static void bind(PreparedStatement ps, int i, StateChange.Field f, Object v) throws SQLException {
        if (v instanceof Instant t) {
            ps.setLong(i, t.toEpochMilli());
        } else if (v instanceof Integer n) {
            ps.setInt(i, n);
        } else if (v instanceof String s) {
            ps.setString(i, s);
        } else if (v instanceof byte[] b) {
            ps.setBytes(i, b);
        } else if (v == null) {
            ps.setNull(i, switch (f) {
                case REMAINING_RECIPIENTS -> Types.BINARY;
                case RELEASE_OWNER, LAST_ERROR, APPROVED_BINDING -> Types.VARCHAR;
                default -> Types.BIGINT;
            });
        } else {
            throw new IllegalArgumentException(f + ": cannot store " + v.getClass().getSimpleName());
        }
    }

}
