package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/** Reads the end of an audit file without reading all of it, and hashes lines. */
final class TailReader {
    private static final int BLOCK = 8192;

    /** The newest record of a file: its number and the hash of its line. */
    record Tail(long seq, String hash) {
    }

    private TailReader() {
    }

    /** SHA-256 (hex) of the first {@code length} bytes. */
    static String sha256(byte[] b, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b, 0, length);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Offset just after the last newline (0 if there is none). */
    static long endOfLastLine(FileChannel ch) throws IOException {
        long size = ch.size();
        long pos = size;
        ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        while (pos > 0) {
            int n = (int) Math.min(BLOCK, pos);
            long start = pos - n;
            buf.clear().limit(n);
            readFully(ch, buf, start);
            for (int i = n - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            pos = start;
        }
        return 0;
    }

    /**
     * The last complete line's record, or {@code null} if the file holds none.
     *
     * @throws IOException when that line is not a record (the chain can not be continued from it)
     */
    static Tail lastRecord(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = endOfLastLine(ch);
            if (end == 0) {
                return null;
            }
            long lineEnd = end - 1;
            long start = lineEnd;
            ByteBuffer one = ByteBuffer.allocate(BLOCK);
            // Walk back to the newline before the last line (or the start of the file).
            outer:
            while (start > 0) {
                int n = (int) Math.min(BLOCK, start);
                long from = start - n;
                one.clear().limit(n);
                readFully(ch, one, from);
                for (int i = n - 1; i >= 0; i--) {
                    if (one.get(i) == '\n') {
                        start = from + i + 1;
                        break outer;
                    }
                }
                start = from;
                if (lineEnd - start > AuditLimits.MAX_RECORD_BYTES * 4L) {
                    throw new IOException(file + ": the last line is far longer than any record; not an audit file?");
                }
            }
            int len = (int) (lineEnd - start);
            ByteBuffer line = ByteBuffer.allocate(len);
            readFully(ch, line, start);
            byte[] bytes = Arrays.copyOf(line.array(), len);
            Map<String, Object> m;
            try {
                m = AuditJson.parse(bytes);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the last record can not be read (" + e.getMessage()
                        + "); check the log with 'mynaguard audit verify' and move the damaged file aside", e);
            }
            if (!(m.get("seq") instanceof Long seq)) {
                throw new IOException(file + ": the last record has no sequence number; check the log with"
                        + " 'mynaguard audit verify'");
            }
            return new Tail(seq, sha256(bytes, len));
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            p += n;
        }
    }
}
