package jp.mynaguard.proxy.hold;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The hold database's tables, created and migrated in one transaction, the same statements for
 * SQLite and PostgreSQL apart from {@link SqlDialect}'s types.
 *
 * <ul>
 * <li>version 1: {@code held_items} (metadata, wrapped key, sealed envelope), {@code item_transitions},
 * {@code store_meta};</li>
 * <li>version 2: the workflow. Items get their details (sealed subject/attachments/external
 * recipients; plain masked findings and approvers), deadlines, notification and release
 * progress, retention times; transitions get an action; {@code item_approvers} answers "what
 * waits for me".</li>
 * </ul>
 * Times are epoch milliseconds ({@code BIGINT}). The version is {@code PRAGMA user_version} in
 * SQLite (as version 1 kept it) and {@code store_meta.schema_version} in PostgreSQL.
 */
final class HoldSchema {
    static final int VERSION = 2;

    /** Columns added by version 2, in order. */
    private static final String[][] V2_ITEM_COLUMNS = {
        {"details", null}, {"findings", "TEXT"}, {"approvers", "TEXT"}, {"remind_at", "BIGINT"},
        {"escalate_at", "BIGINT"}, {"expires_at", "BIGINT"}, {"expiry_outcome", "TEXT"}, {"flags", "TEXT"},
        {"announced_at", "BIGINT"}, {"reminded_at", "BIGINT"}, {"escalated_at", "BIGINT"},
        {"attempts", "INTEGER NOT NULL DEFAULT 0"}, {"next_attempt_at", "BIGINT"}, {"release_deadline", "BIGINT"},
        {"release_owner", "TEXT"}, {"lease_until", "BIGINT"}, {"last_error", "TEXT"},
        {"delivered_count", "INTEGER NOT NULL DEFAULT 0"}, {"remaining", null}, {"approved_binding", "TEXT"},
        {"final_at", "BIGINT"}, {"content_destroyed_at", "BIGINT"},
    };

    private HoldSchema() {
    }

    /** Brings the database to {@link #VERSION}; refuses one written by a newer Mynaguard. */
    static void migrate(Connections connections, SqlDialect dialect) throws SQLException {
        connections.transaction(c -> {
            try (Statement s = c.createStatement()) {
                if (dialect == SqlDialect.POSTGRES) {
                    // Two instances starting at once: the second waits here, then finds the tables.
                    s.execute("SELECT pg_advisory_xact_lock(7365221)");
                }
                int version = version(c, dialect);
                if (version > VERSION) {
                    throw new SQLException("hold database schema " + version + " is newer than this Mynaguard ("
                            + VERSION + ")");
                }
                if (version < 1) {
                    createVersion1(s, dialect);
                }
                if (version < 2) {
                    addVersion2(s, dialect);
                }
                if (version < VERSION) {
                    setVersion(c, dialect, VERSION);
                }
            }
            return null;
        });
    }

    static void createVersion1(Statement s, SqlDialect d) throws SQLException {
        s.executeUpdate("CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.executeUpdate("CREATE TABLE held_items ("
                + " reference_id TEXT PRIMARY KEY,"
                + " kind TEXT NOT NULL CHECK (kind IN ('QUARANTINE','HOLD','APPROVE')),"
                + " state TEXT NOT NULL CHECK (state IN ('HELD','APPROVED','RELEASING','RELEASED','REJECTED',"
                + "   'EXPIRED','CANCELLED')),"
                + " channel TEXT NOT NULL,"
                + " sender_display TEXT NOT NULL,"   // masked; the exact envelope is sealed
                + " recipient_count INTEGER NOT NULL,"
                + " rule TEXT NOT NULL,"
                + " policy_version TEXT NOT NULL,"
                + " findings_summary TEXT NOT NULL,"
                + " received_at BIGINT NOT NULL,"
                + " release_after BIGINT,"
                + " size_bytes BIGINT NOT NULL,"
                + " content_sha256 TEXT NOT NULL,"   // of the exact plaintext bytes that would be released
                + " content_file TEXT,"              // NULL once the content is destroyed (retention)
                + " key_id TEXT NOT NULL,"           // which master key wrapped the data key
                + " wrapped_key " + d.blob() + ","   // NULL once destroyed: crypto-shredding
                + " envelope " + d.blob() + " NOT NULL,"   // sender and recipients, under the data key
                + " created_at BIGINT NOT NULL,"
                + " updated_at BIGINT NOT NULL,"
                + " row_version BIGINT NOT NULL DEFAULT 1)");   // for compare-and-set transitions
        s.executeUpdate("CREATE INDEX held_items_received ON held_items (received_at)");
        s.executeUpdate("CREATE INDEX held_items_state ON held_items (state, received_at)");
        s.executeUpdate("CREATE TABLE item_transitions ("
                + " id " + d.identity() + ","
                + " reference_id TEXT NOT NULL REFERENCES held_items (reference_id),"
                + " from_state TEXT,"
                + " to_state TEXT NOT NULL,"
                + " at BIGINT NOT NULL,"
                + " actor TEXT NOT NULL,"
                + " comment TEXT)");
        s.executeUpdate("CREATE INDEX item_transitions_item ON item_transitions (reference_id, id)");
    }

    private static void addVersion2(Statement s, SqlDialect d) throws SQLException {
        for (String[] col : V2_ITEM_COLUMNS) {
            s.executeUpdate("ALTER TABLE held_items ADD COLUMN " + col[0] + " " + (col[1] == null ? d.blob() : col[1]));
        }
        s.executeUpdate("ALTER TABLE item_transitions ADD COLUMN action TEXT");
        s.executeUpdate("CREATE INDEX held_items_final ON held_items (final_at)");
        s.executeUpdate("CREATE TABLE item_approvers ("
                + " reference_id TEXT NOT NULL REFERENCES held_items (reference_id),"
                + " address TEXT NOT NULL,"          // lower case
                + " backup INTEGER NOT NULL,"        // 1: asked only after escalation
                + " PRIMARY KEY (reference_id, address))");
        s.executeUpdate("CREATE INDEX item_approvers_address ON item_approvers (address)");
        if (d == SqlDialect.POSTGRES) {
            // Several hosts share the database but not a file system: content lives here too.
            s.executeUpdate("CREATE TABLE held_content ("
                    + " reference_id TEXT NOT NULL,"
                    + " seq INTEGER NOT NULL,"
                    + " data BYTEA NOT NULL,"             // ciphertext only
                    + " created_at BIGINT NOT NULL,"
                    + " PRIMARY KEY (reference_id, seq))");
        }
    }

    private static int version(Connection c, SqlDialect d) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (d == SqlDialect.SQLITE) {
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    return rs.getInt(1);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('store_meta') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT value FROM store_meta WHERE key = 'schema_version'")) {
                return rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
            }
        }
    }

    private static void setVersion(Connection c, SqlDialect d, int version) throws SQLException {
        if (d == SqlDialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("PRAGMA user_version = " + version);
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO store_meta (key, value) VALUES ('schema_version', ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, String.valueOf(version));
            ps.executeUpdate();
        }
    }
}
