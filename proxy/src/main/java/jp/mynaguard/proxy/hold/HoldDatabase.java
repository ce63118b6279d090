package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.sqlite.SQLiteConfig;

/**
 * The hold store's SQLite database: one row per item (metadata, wrapped data key, encrypted
 * envelope; never content) and a transitions table that records every state change.
 *
 * <p>WAL journal with {@code synchronous=FULL}: a commit has reached the disk (the WAL is
 * fsynced) when {@code commit()} returns, which is what lets {@link SqliteHoldStore#hold} answer
 * only after the item is durable. One connection, used under this object's lock: writes are
 * serialised by SQLite anyway, and every statement here is short.
 */
final class HoldDatabase implements AutoCloseable {
    static final int SCHEMA_VERSION = 1;

    /** One stored row, as it is in the table. */
    record Row(String referenceId, HoldKind kind, String state, String channel, String senderDisplay,
               int recipientCount, String rule, String policyVersion, String findingsSummary, Instant receivedAt,
               Instant releaseAfter, long sizeBytes, String contentSha256, String contentFile, String keyId,
               byte[] wrappedKey, byte[] envelope) {
    }

    private static final String COLUMNS = "reference_id, kind, state, channel, sender_display, recipient_count, rule,"
            + " policy_version, findings_summary, received_at, release_after, size_bytes, content_sha256,"
            + " content_file, key_id, wrapped_key, envelope";

    private final Connection db;

    private HoldDatabase(Connection db) {
        this.db = db;
    }

    static HoldDatabase open(Path file) throws IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            HoldDatabase d = new HoldDatabase(c);
            d.migrate();
            return d;
        } catch (SQLException e) {
            throw new IOException("cannot open the hold database " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = db.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("hold database schema " + version + " is newer than this Mynaguard ("
                        + SCHEMA_VERSION + ")");
            }
            if (version == SCHEMA_VERSION) {
                return;
            }
            inTransaction(() -> {
                s.executeUpdate("CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.executeUpdate("CREATE TABLE held_items ("
                        + " reference_id TEXT PRIMARY KEY,"
                        + " kind TEXT NOT NULL CHECK (kind IN ('QUARANTINE','HOLD','APPROVE')),"
                        + " state TEXT NOT NULL CHECK (state IN ('HELD','APPROVED','RELEASING','RELEASED','REJECTED',"
                        + "   'EXPIRED','CANCELLED')),"
                        + " channel TEXT NOT NULL,"
                        + " sender_display TEXT NOT NULL,"   // masked; the exact envelope is encrypted
                        + " recipient_count INTEGER NOT NULL,"
                        + " rule TEXT NOT NULL,"
                        + " policy_version TEXT NOT NULL,"
                        + " findings_summary TEXT NOT NULL,"
                        + " received_at INTEGER NOT NULL,"   // epoch milliseconds
                        + " release_after INTEGER,"
                        + " size_bytes INTEGER NOT NULL,"
                        + " content_sha256 TEXT NOT NULL,"   // of the exact plaintext bytes that would be released
                        + " content_file TEXT,"              // NULL once the content is destroyed (retention)
                        + " key_id TEXT NOT NULL,"           // which master key wrapped the data key
                        + " wrapped_key BLOB,"               // NULL once destroyed: crypto-shredding
                        + " envelope BLOB NOT NULL,"         // sender and recipients, under the data key
                        + " created_at INTEGER NOT NULL,"
                        + " updated_at INTEGER NOT NULL,"
                        + " row_version INTEGER NOT NULL DEFAULT 1)");   // for compare-and-set transitions
                s.executeUpdate("CREATE INDEX held_items_received ON held_items (received_at)");
                s.executeUpdate("CREATE INDEX held_items_state ON held_items (state, received_at)");
                s.executeUpdate("CREATE TABLE item_transitions ("
                        + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " reference_id TEXT NOT NULL REFERENCES held_items (reference_id),"
                        + " from_state TEXT,"
                        + " to_state TEXT NOT NULL,"
                        + " at INTEGER NOT NULL,"
                        + " actor TEXT NOT NULL,"
                        + " comment TEXT)");
                s.executeUpdate("CREATE INDEX item_transitions_item ON item_transitions (reference_id, id)");
                s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            });
        }
    }

    synchronized Optional<String> meta(String key) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM store_meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    synchronized void putMeta(String key, String value) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    /** Inserts the item and its first transition (none → HELD) in one transaction, committed to disk. */
    synchronized void insert(Row r, Instant now) throws SQLException {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO held_items (" + COLUMNS
                    + ", created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                int i = 1;
                ps.setString(i++, r.referenceId());
                ps.setString(i++, r.kind().name());
                ps.setString(i++, r.state());
                ps.setString(i++, r.channel());
                ps.setString(i++, r.senderDisplay());
                ps.setInt(i++, r.recipientCount());
                ps.setString(i++, r.rule());
                ps.setString(i++, r.policyVersion());
                ps.setString(i++, r.findingsSummary());
                ps.setLong(i++, r.receivedAt().toEpochMilli());
                if (r.releaseAfter() == null) {
                    ps.setNull(i++, Types.INTEGER);
                } else {
                    ps.setLong(i++, r.releaseAfter().toEpochMilli());
                }
                ps.setLong(i++, r.sizeBytes());
                ps.setString(i++, r.contentSha256());
                ps.setString(i++, r.contentFile());
                ps.setString(i++, r.keyId());
                ps.setBytes(i++, r.wrappedKey());
                ps.setBytes(i++, r.envelope());
                ps.setLong(i++, now.toEpochMilli());
                ps.setLong(i, now.toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO item_transitions (reference_id, from_state, to_state, at, actor) VALUES (?, NULL, ?, ?, ?)")) {
                ps.setString(1, r.referenceId());
                ps.setString(2, r.state());
                ps.setLong(3, now.toEpochMilli());
                ps.setString(4, "gateway");
                ps.executeUpdate();
            }
        });
    }

    /** Work that must be committed or rolled back as a whole. */
    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed (synced, as synchronous=FULL) or rolled back. */
    private void inTransaction(SqlWork work) throws SQLException {
        db.setAutoCommit(false);
        try {
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    synchronized List<Row> list(int limit) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS
                + " FROM held_items ORDER BY received_at DESC, created_at DESC, reference_id LIMIT ?")) {
            ps.setInt(1, limit);
            return rows(ps);
        }
    }

    synchronized Optional<Row> find(String referenceId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM held_items WHERE reference_id = ?")) {
            ps.setString(1, referenceId);
            List<Row> rows = rows(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /**
     * Items of {@code channel} in state APPROVED with the content hash, approved (the transition to
     * APPROVED) at or after {@code since}, newest first.
     */
    synchronized List<Row> approved(String channel, String contentSha256, Instant since) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM held_items h"
                + " WHERE channel = ? AND state = 'APPROVED' AND content_sha256 = ? AND EXISTS (SELECT 1 FROM"
                + " item_transitions t WHERE t.reference_id = h.reference_id AND t.to_state = 'APPROVED' AND t.at >= ?)"
                + " ORDER BY received_at DESC, reference_id")) {
            ps.setString(1, channel);
            ps.setString(2, contentSha256);
            ps.setLong(3, since.toEpochMilli());
            return rows(ps);
        }
    }

    /**
     * Compare-and-set of an item's state: moves it from {@code from} to {@code to} and records the
     * transition, in one transaction; false (nothing changed) when it is no longer in {@code from}.
     */
    synchronized boolean transition(String referenceId, HoldState from, HoldState to, Instant now, String actor,
                                    String comment) throws SQLException {
        boolean[] changed = new boolean[1];
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE held_items SET state = ?, updated_at = ?,"
                    + " row_version = row_version + 1 WHERE reference_id = ? AND state = ?")) {
                ps.setString(1, to.name());
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, referenceId);
                ps.setString(4, from.name());
                changed[0] = ps.executeUpdate() == 1;
            }
            if (changed[0]) {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO item_transitions (reference_id, from_state,"
                        + " to_state, at, actor, comment) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, referenceId);
                    ps.setString(2, from.name());
                    ps.setString(3, to.name());
                    ps.setLong(4, now.toEpochMilli());
                    ps.setString(5, actor);
                    ps.setString(6, comment);
                    ps.executeUpdate();
                }
            }
        });
        return changed[0];
    }

    /** The transitions of an item, oldest first, as "FROM>TO" (FROM empty for the first). */
    synchronized List<String> transitions(String referenceId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT from_state, to_state FROM item_transitions WHERE reference_id = ? ORDER BY id")) {
            ps.setString(1, referenceId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(1);
                    out.add((from == null ? "" : from) + ">" + rs.getString(2));
                }
            }
            return out;
        }
    }

    synchronized Set<String> contentFiles() throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT content_file FROM held_items WHERE content_file IS NOT NULL")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** A PRAGMA's current value (tests check the durability settings really are in force). */
    synchronized String pragma(String name) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.getString(1);
        }
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long releaseAfter = rs.getLong(11);
                Instant release = rs.wasNull() ? null : Instant.ofEpochMilli(releaseAfter);
                out.add(new Row(rs.getString(1), HoldKind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        Instant.ofEpochMilli(rs.getLong(10)), release, rs.getLong(12), rs.getString(13),
                        rs.getString(14), rs.getString(15), rs.getBytes(16), rs.getBytes(17)));
            }
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the hold database", e);
        }
    }
}
