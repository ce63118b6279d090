package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The hold store's SQL, one text for SQLite and PostgreSQL ({@link SqlDialect} holds the few
 * differences): items with their metadata, wrapped data key and sealed envelope (never
 * content), the transitions table that records every change, and the approvers index.
 *
 * <p>Every state change is a compare-and-set ({@code UPDATE … WHERE state = ? AND row_version =
 * ?}) with its transition inserted in the same transaction: a change either happened and is
 * recorded, or did not happen at all. Nothing relies on an in-memory lock, so several processes
 * may share one database.
 */
final class HoldDatabase implements AutoCloseable {
    private final Connections db;
    private final ItemTransitions changes;

    private HoldDatabase(Connections db, SqlDialect dialect) {
        this.db = db;
        this.changes = new ItemTransitions(db, dialect);
    }

    static HoldDatabase open(Connections connections, SqlDialect dialect) throws SQLException {
        HoldSchema.migrate(connections, dialect);
        return new HoldDatabase(connections, dialect);
    }

    Connections connections() {
        return db;
    }

    /** State changes, claims, key destruction and history. */
    ItemTransitions changes() {
        return changes;
    }

    Optional<String> meta(String key) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM store_meta WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Sets {@code key} unless it is set already; returns the value in force afterwards. */
    String putMetaIfAbsent(String key, String value) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM store_meta WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** Inserts the item, its approvers and its first transition (none → HELD) in one committed transaction. */
    void insert(ItemRow.New r, Instant now) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO held_items (" + ItemRow.New.COLUMNS
                    + ") VALUES (" + "?,".repeat(ItemRow.New.COUNT - 1) + "?)")) {
                r.bind(ps, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO item_approvers (reference_id, address, backup) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (String a : r.approvers()) {
                    addApprover(ps, r.referenceId(), a, 0);
                }
                for (String a : r.backupApprovers()) {
                    addApprover(ps, r.referenceId(), a, 1);
                }
            }
            ItemTransitions.insert(c, r.referenceId(), null, HoldState.HELD.name(), "hold", "gateway", null, now);
            return null;
        });
    }

    private static void addApprover(PreparedStatement ps, String ref, String address, int backup) throws SQLException {
        ps.setString(1, ref);
        ps.setString(2, address.toLowerCase(Locale.ROOT));
        ps.setInt(3, backup);
        ps.executeUpdate();
    }

    List<ItemRow> list(int limit) throws SQLException {
        return query(ItemQuery.all(limit));
    }

    Optional<ItemRow> find(String referenceId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM held_items WHERE reference_id = ?")) {
                ps.setString(1, referenceId);
                List<ItemRow> rows = rows(ps);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        });
    }

    List<ItemRow> query(ItemQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT h.* FROM held_items h WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        in(sql, args, "h.state", q.states().stream().map(Enum::name).toList());
        in(sql, args, "h.kind", q.kinds().stream().map(Enum::name).toList());
        if (q.from() != null) {
            sql.append(" AND h.received_at >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND h.received_at < ?");
            args.add(q.to().toEpochMilli());
        }
        if (q.senderExact() != null) {
            sql.append(" AND lower(h.sender_display) = ?");
            args.add(MetadataMask.mask(q.senderExact()).toLowerCase(Locale.ROOT));
        }
        if (q.senderContains() != null && !q.senderContains().isEmpty()) {
            sql.append(" AND lower(h.sender_display) LIKE ? ESCAPE '!'");
            args.add("%" + MetadataMask.mask(q.senderContains()).toLowerCase(Locale.ROOT)
                    .replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (q.rule() != null && !q.rule().isEmpty()) {
            sql.append(" AND h.rule = ?");
            args.add(q.rule());
        }
        if (q.approver() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM item_approvers a WHERE a.reference_id = h.reference_id"
                    + " AND a.address = ? AND (a.backup = 0 OR h.escalated_at IS NOT NULL))");
            args.add(q.approver().toLowerCase(Locale.ROOT));
        }
        sql.append(" ORDER BY h.received_at DESC, h.reference_id LIMIT ?");
        args.add(q.limit());
        return select(sql.toString(), args);
    }

    List<ItemRow> due(ItemQuery.Due what, Instant now, int limit) throws SQLException {
        String where = switch (what) {
            case ANNOUNCE -> "state = 'HELD' AND announced_at IS NULL AND received_at <= ?";
            case TIMED_RELEASE -> "kind = 'HOLD' AND state = 'HELD' AND release_after <= ?";
            case REMIND -> "kind = 'APPROVE' AND state = 'HELD' AND remind_at <= ? AND reminded_at IS NULL";
            case ESCALATE -> "kind = 'APPROVE' AND state = 'HELD' AND escalate_at <= ? AND escalated_at IS NULL";
            case EXPIRE -> "state = 'HELD' AND expires_at <= ?";
            case PURGE -> "final_at <= ? AND content_destroyed_at IS NULL";
        };
        return select("SELECT * FROM held_items WHERE " + where + " ORDER BY received_at, reference_id LIMIT ?",
                List.of(now.toEpochMilli(), limit));
    }

    /** Content handles of all items that still have content (for the orphan sweep). */
    Set<String> contentHandles() throws SQLException {
        return db.read(c -> {
            Set<String> out = new HashSet<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT content_file FROM held_items WHERE content_file IS NOT NULL")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** Items per state, from the state index (metrics: cheap, no row is read). */
    java.util.Map<String, Long> countByState() throws SQLException {
        return db.read(c -> {
            java.util.Map<String, Long> out = new java.util.HashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM held_items GROUP BY state")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** A round trip through the database (readiness): throws when it cannot answer. */
    void ping() throws SQLException {
        db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                if (!rs.next()) {
                    throw new SQLException("SELECT 1 returned no row");
                }
            }
            return null;
        });
    }

    /** A PRAGMA's current value (SQLite; tests check the durability settings really are in force). */
    String pragma(String name) throws SQLException {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                return rs.getString(1);
            }
        });
    }

    private static void in(StringBuilder sql, List<Object> args, String column, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        sql.append(" AND ").append(column).append(" IN (").append("?,".repeat(values.size() - 1)).append("?)");
        args.addAll(values);
    }

    private List<ItemRow> select(String sql, List<Object> args) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Long l) {
                        ps.setLong(i + 1, l);
                    } else if (a instanceof Integer n) {
                        ps.setInt(i + 1, n);
                    } else {
                        ps.setString(i + 1, (String) a);
                    }
                }
                return rows(ps);
            }
        });
    }

    private static List<ItemRow> rows(PreparedStatement ps) throws SQLException {
        List<ItemRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(ItemRow.read(rs));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the hold database", e);
        }
    }
}
