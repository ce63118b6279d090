package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hold store shared by several gateway instances: items, transitions and the encrypted
 * content all in one PostgreSQL database ({@link TableContentVault}: chunks of ciphertext), so
 * hosts need no shared file system. Every instance needs the same {@code master.key} in its
 * data directory (copy it from the first one: a missing key is refused, a different key too).
 *
 * <p>State changes are row-level compare-and-set updates, release claims use
 * {@code FOR UPDATE SKIP LOCKED}; there are no in-memory locks, so each approved item is
 * released by exactly one instance. {@link #hold} returns after the transaction holding the
 * content has committed (PostgreSQL's {@code synchronous_commit}, on by default, makes that durable).
 */
public final class PostgresHoldStore extends JdbcHoldStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresHoldStore.class);
    /** Content written longer ago than this without an item row is left from a crash. */
    static final Duration ORPHAN_AGE = Duration.ofHours(1);

    private PostgresHoldStore(HoldDatabase db, MasterKey key) {
        super(db, new TableContentVault(db.connections()), key);
    }

    /** Connects, creates or migrates the tables, and checks the master key under {@code dataDir}. */
    public static PostgresHoldStore open(PostgresSettings settings, Path dataDir) throws IOException {
        Properties props = new Properties();
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.passwordFile() != null) {
            props.setProperty("password", readPassword(settings.passwordFile()));
        }
        props.setProperty("ApplicationName", "mynaguard");
        Connections.Pool pool = new Connections.Pool(settings.jdbcUrl(), props, settings.poolSize());
        HoldDatabase db;
        try {
            db = HoldDatabase.open(pool, SqlDialect.POSTGRES);
        } catch (SQLException e) {
            pool.close();
            throw new IOException("cannot open the hold store " + settings + ": " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(dataDir);
            PostgresHoldStore store = new PostgresHoldStore(db, masterKey(db, dataDir.resolve("master.key")));
            int removed = store.removeOrphans(Instant.now().minus(ORPHAN_AGE));
            if (removed > 0) {
                LOG.info("hold store {}: removed {} unrecorded content chunk(s) left by an interrupted hold", settings,
                        removed);
            }
            return store;
        } catch (IOException | SQLException | RuntimeException e) {
            db.close();
            throw e instanceof IOException io ? io : new IOException("cannot open the hold store: " + e.getMessage(), e);
        }
    }

    private static String readPassword(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
