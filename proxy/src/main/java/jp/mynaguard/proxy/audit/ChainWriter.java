package jp.mynaguard.proxy.audit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file side of the audit trail, used by the one writer thread only: appends records to the
 * hash chain, seals it with signed checkpoints, rotates files and keeps the signed head.
 *
 * <p>Records are gathered per batch and written with one write at the end of the file as it was
 * last committed; when a write fails (a full disk) the file is cut back to that length and the
 * chain state rolls back, so a retry never leaves half a line or a gap behind.
 */
final class ChainWriter implements Closeable {
    /** The {@code prev} of the very first record. */
    static final String GENESIS = "0".repeat(64);
    static final String CHECKPOINT = "checkpoint";
    static final String FILE_START = "file.start";

    private final Path dir;
    private final AuditKey key;
    private final ZoneId zone;
    private final long rotateBytes;
    private final Clock clock;

    private Path file;
    private FileChannel channel;
    private LocalDate day;
    private int counter;
    private long committedLength;
    private boolean dirty;

    private long seq;
    private String prev;
    private long sealedUpTo;
    private long lastSealNanos;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(64 * 1024);
    private long pendingSeq;
    private String pendingPrev;
    private final List<byte[]> pendingLines = new java.util.ArrayList<>();
    private List<byte[]> lastCommitted = List.of();

    /** What opening found: a cut partial line, or a head that names more than the files hold. */
    record Recovery(long discardedBytes, String headProblem) {
    }

    private Recovery recovery;

    private ChainWriter(Path dir, AuditKey key, ZoneId zone, long rotateBytes, Clock clock) {
        this.dir = dir;
        this.key = key;
        this.zone = zone;
        this.rotateBytes = rotateBytes;
        this.clock = clock;
    }

    /**
     * Continues the chain of the newest file in {@code dir}, or begins one.
     *
     * @throws IOException when the newest record cannot be read (the chain can not be continued
     *                     honestly: the admin has to look, with {@code audit verify})
     */
    static ChainWriter open(Path dir, AuditKey key, ZoneId zone, long rotateBytes, Clock clock) throws IOException {
        ChainWriter w = new ChainWriter(dir, key, zone, rotateBytes, clock);
        w.recover();
        return w;
    }

    Recovery recovery() {
        return recovery;
    }

    private void recover() throws IOException {
        List<Path> files = AuditFiles.list(dir);
        seq = 0;
        prev = GENESIS;
        long discarded = 0;
        if (!files.isEmpty()) {
            Path last = files.get(files.size() - 1);
            discarded = cutPartialLine(last);
            TailReader.Tail tail = null;
            for (int i = files.size() - 1; i >= 0 && tail == null; i--) {
                tail = TailReader.lastRecord(files.get(i));
            }
            if (tail != null) {
                seq = tail.seq();
                prev = tail.hash();
            }
            file = last;
            day = AuditFiles.day(last);
            counter = AuditFiles.counter(last);
            channel = FileChannel.open(last, StandardOpenOption.WRITE);
            committedLength = channel.size();
        }
        sealedUpTo = seq;
        lastSealNanos = System.nanoTime();
        recovery = new Recovery(discarded, AuditHead.compare(dir, key.publicKey(), seq, prev));
        pendingSeq = seq;
        pendingPrev = prev;
        if (channel == null || rotationDue(Instant.now(clock))) {
            rotate();
        }
    }

    /**
     * After a failed write: cut what the failure may have left, close, and read the chain state
     * back from the files (the same as at start), so the retry continues from what is on disk.
     */
    void reopen() throws IOException {
        rollback();
        if (channel != null) {
            try {
                if (dirty) {
                    channel.truncate(committedLength);
                    dirty = false;
                }
            } catch (IOException e) {
                // The channel is unusable; recover() cuts a partial line from the file itself.
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Already broken.
                }
                channel = null;
            }
        }
        recover();
    }

    /** A record that was being written when the process died is cut off: it was never complete. */
    private static long cutPartialLine(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long end = TailReader.endOfLastLine(ch);
            if (end < size) {
                ch.truncate(end);
                ch.force(true);
            }
            return size - end;
        }
    }

    /** The lines of the last successful {@link #commit()} (without newlines). */
    List<byte[]> lastCommitted() {
        return lastCommitted;
    }

    long seq() {
        return seq;
    }

    String head() {
        return prev;
    }

    Path file() {
        return file;
    }

    /** Records written since the last checkpoint. */
    long unsealed() {
        return seq - sealedUpTo;
    }

    long nanosSinceSeal() {
        return System.nanoTime() - lastSealNanos;
    }

    boolean rotationDue(Instant now) {
        return committedLength >= rotateBytes || !LocalDate.ofInstant(now, zone).equals(day);
    }

    /** Adds a record to the batch; returns its sequence number. */
    long add(String type, Instant time, Map<String, Object> fields) {
        long s = pendingSeq + 1;
        byte[] line = AuditJson.record(s, time, type, pendingPrev, fields);
        if (line.length > AuditLimits.MAX_RECORD_BYTES) {
            line = AuditJson.record(s, time, type, pendingPrev, shortened(fields, line.length));
        }
        append(line);
        return s;
    }

    private void append(byte[] line) {
        pending.writeBytes(line);
        pending.write('\n');
        pendingLines.add(line);
        pendingSeq++;
        pendingPrev = TailReader.sha256(line, line.length);
    }

    /** Keeps the plain values of an oversized record and names what was cut. */
    private static Map<String, Object> shortened(Map<String, Object> fields, int size) {
        Map<String, Object> out = new LinkedHashMap<>();
        java.util.List<String> cut = new java.util.ArrayList<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s && s.length() > 256 || v instanceof Map || v instanceof java.util.Collection) {
                cut.add(e.getKey());
            } else {
                out.put(e.getKey(), v);
            }
        }
        out.put("cut", cut);
        out.put("cutBytes", size);
        return out;
    }

    /** Writes the batch with one write; on failure nothing of it stays in the file or the chain. */
    void commit() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        try {
            if (dirty) {
                channel.truncate(committedLength);
                dirty = false;
            }
            ByteBuffer buf = ByteBuffer.wrap(pending.toByteArray());
            long pos = committedLength;
            dirty = true;
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
            dirty = false;
            committedLength = pos;
            seq = pendingSeq;
            prev = pendingPrev;
            pending.reset();
            lastCommitted = List.copyOf(pendingLines);
            pendingLines.clear();
        } catch (IOException | RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private void rollback() {
        pending.reset();
        pendingLines.clear();
        pendingSeq = seq;
        pendingPrev = prev;
    }

    /** Seals the chain so far: a signed checkpoint line, then file and head synced to disk. */
    void checkpoint() throws IOException {
        commit();
        long from = sealedUpTo + 1;
        long records = seq - sealedUpTo;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("from", from);
        f.put("records", records);
        f.put("key", key.idField());
        byte[] unsigned = AuditJson.record(pendingSeq + 1, Instant.now(clock), CHECKPOINT, pendingPrev, f);
        append(Seal.signed(unsigned, key));
        commit();
        channel.force(true);
        sealedUpTo = seq;
        lastSealNanos = System.nanoTime();
        writeHead(true);
    }

    /** The signed head: the last record's number and hash, so a cut-off tail is noticed. */
    void writeHead(boolean sync) throws IOException {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("seq", seq);
        h.put("hash", prev);
        h.put("file", file.getFileName().toString());
        h.put("time", AuditJson.time(Instant.now(clock)));
        h.put("key", key.idField());
        byte[] line = Seal.signed(AuditJson.object(h), key);
        Path tmp = dir.resolve(AuditFiles.HEAD + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap((new String(line, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(tmp, dir.resolve(AuditFiles.HEAD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync) {
            syncDirectory();
        }
    }

    /** Seals the current file and begins the next; its first record names the file before it. */
    void rotate() throws IOException {
        String previous = null;
        if (channel != null) {
            if (unsealed() > 0 || pending.size() > 0) {
                checkpoint();
            }
            previous = file.getFileName().toString();
            channel.close();
            channel = null;
        }
        LocalDate today = LocalDate.ofInstant(Instant.now(clock), zone);
        int next = today.equals(day) ? counter + 1 : 1;
        Path f = dir.resolve(AuditFiles.name(today, next));
        while (Files.exists(f)) {
            f = dir.resolve(AuditFiles.name(today, ++next));
        }
        channel = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        file = f;
        day = today;
        counter = next;
        committedLength = 0;
        dirty = false;
        syncDirectory();
        Map<String, Object> start = new LinkedHashMap<>();
        if (previous != null) {
            start.put("previousFile", previous);
        }
        add(FILE_START, Instant.now(clock), start);
        commit();
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems do not sync directories; the file sync still holds the records.
        }
    }

    /** Seals what is unsealed and closes the file. */
    @Override
    public void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            if (unsealed() > 0 || pending.size() > 0) {
                checkpoint();
            }
        } finally {
            channel.close();
            channel = null;
        }
    }
}
