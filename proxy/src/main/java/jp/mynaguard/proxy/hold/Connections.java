package jp.mynaguard.proxy.hold;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Where the hold database's JDBC connections come from: one SQLite connection used under a lock
 * (SQLite serialises writers anyway), or a small pool of PostgreSQL connections. Work is either a
 * read (auto-commit) or a transaction (committed as a whole or rolled back).
 */
interface Connections extends AutoCloseable {
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T read(SqlWork<T> work) throws SQLException;

    /** Runs {@code work} in one transaction: committed, or rolled back when it throws. */
    <T> T transaction(SqlWork<T> work) throws SQLException;

    @Override
    void close() throws SQLException;

    static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** One connection for the embedded SQLite database, used by one thread at a time. */
    final class Single implements Connections {
        private final Connection db;

        Single(Connection db) {
            this.db = db;
        }

        @Override
        public synchronized <T> T read(SqlWork<T> work) throws SQLException {
            return work.run(db);
        }

        @Override
        public synchronized <T> T transaction(SqlWork<T> work) throws SQLException {
            return inTransaction(db, work);
        }

        @Override
        public synchronized void close() throws SQLException {
            db.close();
        }
    }

    /**
     * A few PostgreSQL connections, opened on demand and reused. A connection that failed with a
     * connection-level error (SQLState class 08) is closed instead of returned, so the next use
     * opens a fresh one; one idle for a while is checked before use (the server or a firewall may
     * have dropped it).
     */
    final class Pool implements Connections {
        private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
        private static final int VALID_TIMEOUT_SECONDS = 5;

        private record Idle(Connection connection, long since) {
        }

        private final String url;
        private final Properties properties;
        private final Semaphore permits;
        private final Deque<Idle> idle = new ArrayDeque<>();
        private volatile boolean closed;

        Pool(String url, Properties properties, int size) {
            this.url = url;
            this.properties = properties;
            this.permits = new Semaphore(size, true);
        }

        @Override
        public <T> T read(SqlWork<T> work) throws SQLException {
            return use(work, false);
        }

        @Override
        public <T> T transaction(SqlWork<T> work) throws SQLException {
            return use(work, true);
        }

        private <T> T use(SqlWork<T> work, boolean tx) throws SQLException {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a database connection");
            }
            Connection c = null;
            boolean broken = false;
            try {
                c = borrow();
                return tx ? inTransaction(c, work) : work.run(c);
            } catch (SQLException e) {
                broken = e.getSQLState() != null && e.getSQLState().startsWith("08");
                throw e;
            } finally {
                giveBack(c, broken);
                permits.release();
            }
        }

        private Connection borrow() throws SQLException {
            if (closed) {
                throw new SQLException("the hold store is closed");
            }
            Idle i;
            synchronized (idle) {
                i = idle.pollFirst();
            }
            if (i != null && (System.nanoTime() - i.since() < CHECK_AFTER_IDLE_NANOS
                    || i.connection().isValid(VALID_TIMEOUT_SECONDS))) {
                return i.connection();
            }
            if (i != null) {
                closeQuietly(i.connection());
            }
            return DriverManager.getConnection(url, properties);
        }

        private void giveBack(Connection c, boolean broken) {
            if (c == null) {
                return;
            }
            if (broken || closed) {
                closeQuietly(c);
                return;
            }
            synchronized (idle) {
                idle.addFirst(new Idle(c, System.nanoTime()));
            }
        }

        @Override
        public void close() {
            closed = true;
            synchronized (idle) {
                idle.forEach(i -> closeQuietly(i.connection()));
                idle.clear();
            }
        }

        private static void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException e) {
                // Already gone: nothing to release.
            }
        }
    }
}
