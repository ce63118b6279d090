package jp.mynaguard.proxy.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one JSON line per event, hash-chained, sealed by signed checkpoints, rotated
 * by size and day (see {@link ChainWriter}). {@link #record} only puts the event in a bounded queue,
 * so no caller (an event loop least of all) ever waits for the disk; one writer thread writes.
 *
 * <p>When the queue is full the event is not written, and the next record that is written says
 * how many were lost ({@code audit.dropped}): the trail itself shows the gap. Before it comes to
 * that, from {@link AuditLimits#QUEUE_HIGH_WATER_PERCENT} on and while the disk refuses writes,
 * {@link #accepting()} says no, and the SMTP side answers 451 instead of deciding: a decision that
 * could not be recorded is not made (fail closed).
 */
public final class AuditLog implements AuditSink, Closeable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 512;

    /** A queued event, a flush barrier or the stop signal. */
    private record Item(AuditEvent event, CountDownLatch barrier, boolean stop, boolean seal) {
    }

    private final AuditSettings settings;
    private final Path dir;
    private final AuditKey key;
    private final ChainWriter chain;
    private final Clock clock;
    private final BlockingQueue<Item> queue;
    private final int highWater;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final List<Consumer<List<byte[]>>> copies = new CopyOnWriteArrayList<>();
    private final Thread writer;
    private volatile boolean healthy = true;
    private volatile boolean closed;

    private AuditLog(AuditSettings settings, Path dir, AuditKey key, ChainWriter chain, Clock clock) {
        this.settings = settings;
        this.dir = dir;
        this.key = key;
        this.chain = chain;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity() + 2);
        this.highWater = settings.queueCapacity() * AuditLimits.QUEUE_HIGH_WATER_PERCENT / 100;
        this.writer = new Thread(this::writeLoop, "mynaguard-audit-writer");
        writer.setDaemon(true);
    }

    /**
     * Opens (or begins) the trail in {@code settings.dirUnder(dataDir)} and starts the writer. The
     * first record of every start is {@code audit.start}, with the key id and whatever recovery found.
     */
    public static AuditLog open(AuditSettings settings, Path dataDir, Clock clock) throws IOException {
        return open(settings, dataDir, clock, List.of());
    }

    /** Opens with copies (syslog) attached before the first record is written. */
    public static AuditLog open(AuditSettings settings, Path dataDir, Clock clock, List<Consumer<List<byte[]>>> copies)
            throws IOException {
        AuditLog audit = openPaused(settings, dataDir, clock);
        audit.copies.addAll(copies);
        audit.writer.start();
        return audit;
    }

    /** Opened, but the writer not yet started (tests fill the queue with it). */
    static AuditLog openPaused(AuditSettings settings, Path dataDir, Clock clock) throws IOException {
        Path dir = settings.dirUnder(dataDir);
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not POSIX: the data directory's ACL applies.
        }
        AuditKey key = AuditKey.loadOrCreate(dir);
        ChainWriter chain = ChainWriter.open(dir, key, settings.zone(), settings.rotateBytes(), clock);
        AuditLog audit = new AuditLog(settings, dir, key, chain, clock);
        ChainWriter.Recovery r = chain.recovery();
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("key", key.idField());
        if (r.discardedBytes() > 0) {
            start.put("discardedPartialBytes", r.discardedBytes());
        }
        if (r.headProblem() != null) {
            start.put("headProblem", r.headProblem());
            log.error("audit trail in {}: {}", dir, r.headProblem());
        }
        audit.record(new AuditEvent("audit.start", Instant.now(clock), start));
        log.info("audit trail in {} (signing key {}), continuing at record {}", dir, key.id(), chain.seq() + 1);
        return audit;
    }

    /** Starts the writer of a log opened paused. */
    void start() {
        writer.start();
    }

    @Override
    public void record(AuditEvent event) {
        if (closed) {
            log.warn("audit trail closed; not recorded: {} event", event.type());
            return;
        }
        if (!queue.offer(new Item(event, null, false, false))) {
            long n = dropped.incrementAndGet();
            droppedTotal.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.error("audit queue full: {} event(s) not recorded so far; the next record says how many", n);
            }
        }
    }

    /** Whether a new decision may be made: the queue has room and the disk takes writes. */
    @Override
    public boolean accepting() {
        return !closed && healthy && queue.size() < highWater;
    }

    /** The audit directory. */
    public Path directory() {
        return dir;
    }

    /** The signing key's id (also in every checkpoint and in {@code audit.start}). */
    public String keyId() {
        return key.id();
    }

    /** Events lost to a full queue since start. */
    public long droppedTotal() {
        return droppedTotal.get();
    }

    /** Every committed batch of lines goes to {@code copy} too (on the writer thread: it must not block). */
    public void addCopy(Consumer<List<byte[]>> copy) {
        copies.add(copy);
    }

    /** Waits until everything recorded so far is written (not necessarily synced). */
    public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        return barrier(false, timeout, unit);
    }

    /** Waits until everything recorded so far is written and sealed by a checkpoint. */
    public boolean seal(long timeout, TimeUnit unit) throws InterruptedException {
        return barrier(true, timeout, unit);
    }

    private boolean barrier(boolean seal, long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        if (!queue.offer(new Item(null, done, false, seal), timeout, unit)) {
            return false;
        }
        return done.await(timeout, unit);
    }

    /** Records were written since the head was; see {@link AuditLimits#HEAD_INTERVAL}. Writer thread only. */
    private boolean headDirty;
    private long lastHeadNanos = System.nanoTime();

    private void writeLoop() {
        List<Item> batch = new ArrayList<>();
        long backoff = AuditLimits.WRITE_RETRY_MIN.toMillis();
        boolean stop = false;
        while (!stop) {
            try {
                if (batch.isEmpty()) {
                    Item first = queue.poll(millisUntilDue(), TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, MAX_BATCH - 1);
                    }
                }
                stop = batch.stream().anyMatch(Item::stop);
                writeBatch(batch);
                if (!healthy) {
                    log.info("audit trail writable again");
                }
                healthy = true;
                backoff = AuditLimits.WRITE_RETRY_MIN.toMillis();
                batch.forEach(i -> {
                    if (i.barrier() != null) {
                        i.barrier().countDown();
                    }
                });
                batch.clear();
            } catch (IOException | RuntimeException e) {
                if (healthy) {
                    log.error("audit trail in {} cannot be written ({}); decisions wait (451) until it can", dir,
                            e.toString());
                }
                healthy = false;
                if (closed) {
                    log.error("audit trail closing while unwritable: {} record(s) not written",
                            batch.size() + queue.size());
                    return;
                }
                stop = false;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    log.error("audit trail stopped while unwritable: {} record(s) not written", batch.size());
                    return;
                }
                backoff = Math.min(backoff * 2, AuditLimits.WRITE_RETRY_MAX.toMillis());
                try {
                    chain.reopen();
                } catch (IOException | RuntimeException again) {
                    log.debug("audit trail still not writable: {}", again.toString());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
        try {
            chain.close();
        } catch (IOException e) {
            log.error("audit trail: the final checkpoint failed: {}", e.toString());
        }
    }

    /** Until the next checkpoint, or sooner when a head write is pending. */
    private long millisUntilDue() {
        long checkpoint = millisUntilCheckpoint();
        if (!headDirty) {
            return checkpoint;
        }
        long head = TimeUnit.NANOSECONDS.toMillis(AuditLimits.HEAD_INTERVAL.toNanos() - (System.nanoTime() - lastHeadNanos));
        return Math.max(1, Math.min(checkpoint, head));
    }

    private long millisUntilCheckpoint() {
        long interval = settings.checkpointInterval().toNanos();
        if (chain.unsealed() == 0) {
            return TimeUnit.NANOSECONDS.toMillis(interval);
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(interval - chain.nanosSinceSeal()));
    }

    private void writeBatch(List<Item> batch) throws IOException {
        Instant now = Instant.now(clock);
        if (chain.rotationDue(now)) {
            chain.rotate();
        }
        long lost = dropped.getAndSet(0);
        boolean seal = false;
        boolean stop = false;
        try {
            if (lost > 0) {
                chain.add("audit.dropped", now, Map.of("count", lost));
            }
            for (Item i : batch) {
                if (i.event() != null) {
                    chain.add(i.event().type(), i.event().time(), i.event().fields());
                }
                seal |= i.seal();
                stop |= i.stop();
            }
            if (stop) {
                chain.add("audit.stop", now, Map.of("droppedSinceStart", droppedTotal.get()));
            }
            chain.commit();
        } catch (IOException | RuntimeException e) {
            dropped.addAndGet(lost);
            throw e;
        }
        List<byte[]> lines = new ArrayList<>(chain.lastCommitted());
        if (seal || stop || chain.unsealed() >= settings.checkpointEvery()
                || chain.unsealed() > 0 && chain.nanosSinceSeal() >= settings.checkpointInterval().toNanos()) {
            chain.checkpoint(); // writes the head too
            lines.addAll(chain.lastCommitted());
            headDirty = false;
            lastHeadNanos = System.nanoTime();
        } else if (!lines.isEmpty()) {
            headDirty = true;
        }
        // idle, someone waits for the records to be written, or the interval is up
        boolean flush = batch.isEmpty() || batch.stream().anyMatch(i -> i.barrier() != null);
        if (headDirty && (flush || System.nanoTime() - lastHeadNanos >= AuditLimits.HEAD_INTERVAL.toNanos())) {
            chain.writeHead(false);
            headDirty = false;
            lastHeadNanos = System.nanoTime();
        }
        if (!lines.isEmpty()) {
            for (Consumer<List<byte[]>> c : copies) {
                try {
                    c.accept(lines);
                } catch (RuntimeException e) {
                    log.warn("audit copy failed: {}", e.toString());
                }
            }
        }
    }

    /** Writes what is queued, an {@code audit.stop} record and a final checkpoint. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(new Item(null, null, true, true), AuditLimits.CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("audit trail: queue still full at close");
            }
            writer.join(AuditLimits.CLOSE_TIMEOUT.toMillis());
            if (writer.isAlive()) {
                log.error("audit trail: the writer did not finish within {}", AuditLimits.CLOSE_TIMEOUT);
                writer.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.interrupt();
        }
    }
}
