package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

import jp.mynaguard.proxy.io.DurableFiles;

/**
 * Content in the shared database ({@code held_content}), cut into chunks of
 * {@link HoldLimits#CONTENT_CHUNK_BYTES} so that neither writing nor reading a large message needs it whole in
 * memory, and so that every gateway instance reaches every item without a shared file system.
 * All chunks of an item are written in one transaction: committed (durable) or not there at all.
 */
final class TableContentVault implements ContentVault {
    private static final String PREFIX = "db:";

    private final Connections db;

    TableContentVault(Connections db) {
        this.db = db;
    }

    @Override
    public String store(String referenceId, DurableFiles.Writer writer) throws IOException {
        long now = Instant.now().toEpochMilli();
        try {
            db.transaction(c -> {
                try (PreparedStatement exists = c.prepareStatement(
                        "SELECT 1 FROM held_content WHERE reference_id = ? AND seq = 0")) {
                    exists.setString(1, referenceId);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            throw new SQLException("reference id " + referenceId + " is already in the hold store");
                        }
                    }
                }
                try (ChunkWriter out = new ChunkWriter(c, referenceId, now)) {
                    writer.writeTo(out);
                } catch (IOException e) {
                    throw new SQLException(e.getMessage(), e);
                } catch (UncheckedIOException e) {
                    throw new SQLException(e.getCause().getMessage(), e.getCause());
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IOException("cannot store held content: " + e.getMessage(), e);
        }
        return PREFIX + referenceId;
    }

    @Override
    public InputStream open(String handle) throws IOException {
        return new ChunkReader(reference(handle));
    }

    @Override
    public void delete(String handle) throws IOException {
        String ref = reference(handle);
        try {
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM held_content WHERE reference_id = ?")) {
                    ps.setString(1, ref);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot delete held content: " + e.getMessage(), e);
        }
    }

    @Override
    public int removeOrphans(Set<String> recorded, Instant cutoff) throws IOException {
        try {
            return db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM held_content WHERE created_at < ?"
                        + " AND reference_id NOT IN (SELECT reference_id FROM held_items WHERE content_file IS NOT NULL)")) {
                    ps.setLong(1, cutoff.toEpochMilli());
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot remove orphaned held content: " + e.getMessage(), e);
        }
    }

    private static String reference(String handle) throws IOException {
        if (!handle.startsWith(PREFIX)) {
            throw new IOException("not a database content handle");
        }
        return handle.substring(PREFIX.length());
    }

    /** Buffers one chunk and inserts it when full (and the last one on close). */
    private static final class ChunkWriter extends OutputStream {
        private final PreparedStatement insert;
        private final String ref;
        private final long createdAt;
        private final byte[] buf = new byte[HoldLimits.CONTENT_CHUNK_BYTES];
        private int len;
        private int seq;

        ChunkWriter(Connection c, String ref, long createdAt) throws SQLException {
            this.insert = c.prepareStatement(
                    "INSERT INTO held_content (reference_id, seq, data, created_at) VALUES (?, ?, ?, ?)");
            this.ref = ref;
            this.createdAt = createdAt;
        }

        @Override
        public void write(int b) throws IOException {
            if (len == buf.length) {
                flushChunk();
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (len == buf.length) {
                    flushChunk();
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
            }
        }

        private void flushChunk() throws IOException {
            try {
                insert.setString(1, ref);
                insert.setInt(2, seq++);
                insert.setBytes(3, len == buf.length ? buf : java.util.Arrays.copyOf(buf, len));
                insert.setLong(4, createdAt);
                insert.executeUpdate();
                len = 0;
            } catch (SQLException e) {
                throw new IOException("cannot write held content: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (len > 0 || seq == 0) {
                    flushChunk();
                }
            } finally {
                try {
                    insert.close();
                } catch (SQLException e) {
                    // The statement goes with the transaction's connection anyway.
                }
            }
        }
    }

    /** Reads chunk after chunk, each with its own short query (no connection held between reads). */
    private final class ChunkReader extends InputStream {
        private final String ref;
        private byte[] chunk = new byte[0];
        private int pos;
        private int next;
        private boolean end;

        ChunkReader(String ref) throws IOException {
            this.ref = ref;
            if (!fill()) {
                throw new IOException("no content for held item " + ref);
            }
        }

        private boolean fill() throws IOException {
            try {
                byte[] data = db.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT data FROM held_content WHERE reference_id = ? AND seq = ?")) {
                        ps.setString(1, ref);
                        ps.setInt(2, next);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getBytes(1) : null;
                        }
                    }
                });
                if (data == null) {
                    end = true;
                    return false;
                }
                next++;
                chunk = data;
                pos = 0;
                return true;
            } catch (SQLException e) {
                throw new IOException("cannot read held content: " + e.getMessage(), e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            while (pos == chunk.length) {
                if (end || !fill()) {
                    return -1;
                }
            }
            int k = Math.min(n, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, k);
            pos += k;
            return k;
        }
    }
}
