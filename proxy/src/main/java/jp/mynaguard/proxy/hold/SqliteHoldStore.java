package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import jp.mynaguard.proxy.io.DurableFiles;

/**
 * The embedded hold store: {@code DATA_DIR/hold/hold.db} (SQLite) and one encrypted content file
 * per item in {@code DATA_DIR/hold/content/}, under the master key {@code DATA_DIR/master.key}.
 *
 * <p>{@link #hold} is durable when it returns: content file written and fsynced, published
 * under its final name and the directory fsynced, then the row committed with SQLite in WAL
 * mode and {@code synchronous=FULL} (a commit has reached the disk when it returns). A crash at
 * any point before leaves at most an orphan file, which a later open removes. Write
 * transactions begin {@code IMMEDIATE}, so two processes on one database queue up instead of
 * failing to upgrade a read lock.
 */
public final class SqliteHoldStore extends JdbcHoldStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteHoldStore.class);
    /** Files younger than this may belong to a hold() in progress in another process. */
    static final Duration ORPHAN_AGE = Duration.ofHours(1);
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Path dataDir;
    private final FileContentVault files;

    private SqliteHoldStore(HoldDatabase db, FileContentVault files, MasterKey key, Path dataDir) {
        super(db, files, key);
        this.dataDir = dataDir;
        this.files = files;
    }

    /**
     * Opens (creating on first start) the store under {@code dataDir}: {@code hold/} (mode 0700),
     * the database, and the master key file {@code master.key} (mode 0600) when there is no
     * store yet. A store whose key file is missing or different is refused with a clear error
     * rather than given a new key that could read none of its items.
     */
    public static SqliteHoldStore open(Path dataDir) throws IOException {
        Path holdDir = dataDir.resolve("hold");
        Path contentDir = holdDir.resolve("content");
        createPrivateDirectories(dataDir, holdDir, contentDir);
        Path file = holdDir.resolve("hold.db");
        HoldDatabase db;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            config.enforceForeignKeys(true);
            db = HoldDatabase.open(new Connections.Single(config.createConnection("jdbc:sqlite:" + file.toAbsolutePath())),
                    SqlDialect.SQLITE);
        } catch (SQLException e) {
            throw new IOException("cannot open the hold database " + file + ": " + e.getMessage(), e);
        }
        try {
            MasterKey key = masterKey(db, dataDir.resolve("master.key"));
            SqliteHoldStore store = new SqliteHoldStore(db, new FileContentVault(contentDir), key, dataDir);
            int removed = store.removeOrphans(Instant.now().minus(ORPHAN_AGE));
            if (removed > 0) {
                LOG.info("hold store {}: removed {} unrecorded content file(s) left by an interrupted hold", dataDir,
                        removed);
            }
            return store;
        } catch (IOException | SQLException | RuntimeException e) {
            db.close();
            throw e instanceof IOException io ? io : new IOException("cannot open the hold store: " + e.getMessage(), e);
        }
    }

    /** Whether a store exists under {@code dataDir} (for commands that should not create one). */
    public static boolean exists(Path dataDir) {
        return Files.exists(dataDir.resolve("hold").resolve("hold.db"));
    }

    public Path dataDirectory() {
        return dataDir;
    }

    Path contentFile(String referenceId) {
        return files.file(referenceId);
    }

    /** Creates missing directories (0700) and makes their names durable in their parents. */
    private static void createPrivateDirectories(Path... dirs) throws IOException {
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                continue;
            }
            if (d.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(d);
            }
            Path parent = d.toAbsolutePath().getParent();
            if (parent != null) {
                DurableFiles.fsyncDirectory(parent);
            }
        }
    }
}
