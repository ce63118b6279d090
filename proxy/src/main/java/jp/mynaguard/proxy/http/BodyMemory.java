package jp.mynaguard.proxy.http;

import java.util.ArrayDeque;
import java.util.Collection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The direct memory request bodies may hold at once, shared by every connection. A body stays
 * in memory while it fits both its own cap and what is left here; otherwise it goes to the spool
 * file. Memory is reserved per block allocated or received buffer kept, by its capacity, not per
 * byte received, so a client that trickles its body cannot pin more than it is charged for.
 * <p>
 * Full-size blocks ({@link HttpProxyLimits#BODY_BLOCK_MAX}) of finished bodies are kept for the
 * next ones, inside the same budget: allocating fresh direct memory for every large body (zeroed
 * by the JDK, then page-faulted in by the kernel) was a twentieth of the proxy's CPU under a
 * stream of 10 MB uploads. A reservation that needs their room frees them, so reserved plus kept
 * never exceeds the budget; and {@link #trimIdle}, run every {@link HttpProxyLimits#KEPT_BLOCKS_TRIM},
 * frees those no body took in that time, so that after a burst the memory goes back.
 */
final class BodyMemory implements AutoCloseable {
    private final long perBody;
    private final long total;
    /** Reserved by bodies now; guarded by this. */
    private long used;
    /** Full-size blocks no body uses, most recent last; guarded by this. */
    private final ArrayDeque<ByteBuf> kept = new ArrayDeque<>();
    private long keptBytes;
    /** The fewest blocks kept at any moment since the last {@link #trimIdle}: that many sat unused all along. */
    private int lowWater;
    /** Once the proxy stops, nothing more is kept. */
    private boolean closed;

    BodyMemory(long perBody, long total) {
        this.perBody = perBody;
        this.total = total;
    }

    /** The most one body keeps in memory. */
    long perBody() {
        return perBody;
    }

    /** Takes {@code n} bytes from what is left (freeing kept blocks for room), or nothing and false. */
    synchronized boolean tryReserve(long n) {
        if (used + n > total) {
            return false;
        }
        while (used + keptBytes + n > total) {
            freeOldest();
        }
        used += n;
        return true;
    }

    /**
     * A block of {@code size} bytes for a body that has reserved them: a kept one, cleared, when it
     * is full-size and one is kept; else a new one from {@code alloc}.
     */
    ByteBuf block(int size, ByteBufAllocator alloc) {
        ByteBuf b = size == HttpProxyLimits.BODY_BLOCK_MAX ? takeKept() : null;
        return b != null ? b.clear() : alloc.directBuffer(size, size);
    }

    private synchronized ByteBuf takeKept() {
        ByteBuf b = kept.pollLast();
        if (b != null) {
            keptBytes -= b.capacity();
            lowWater = Math.min(lowWater, kept.size());
        }
        return b;
    }

    /** Frees the kept blocks that no body took since the last call; the number freed. */
    synchronized int trimIdle() {
        int idle = lowWater;
        for (int i = 0; i < idle; i++) {
            freeOldest();
        }
        lowWater = kept.size();
        return idle;
    }

    private void freeOldest() {
        ByteBuf b = kept.pollFirst();
        keptBytes -= b.capacity();
        lowWater = Math.min(lowWater, kept.size());
        b.release();
    }

    /**
     * A body's reservation and its memory, back: {@code released} is let go of; a block of
     * {@code reusable} (its full-size blocks) is kept when only the body still holds it and it fits
     * the budget, else let go of too (a block that a forward still reads is freed when that write ends).
     */
    synchronized void giveBack(long reserved, Collection<ByteBuf> released, Collection<ByteBuf> reusable) {
        used -= reserved;
        released.forEach(ByteBuf::release);
        for (ByteBuf b : reusable) {
            if (!closed && b.refCnt() == 1 && used + keptBytes + b.capacity() <= total) {
                kept.addLast(b);
                keptBytes += b.capacity();
            } else {
                b.release();
            }
        }
    }

    /** Frees the kept blocks and keeps no more (the proxy stopped). */
    @Override
    public synchronized void close() {
        closed = true;
        kept.forEach(ByteBuf::release);
        kept.clear();
        keptBytes = 0;
        lowWater = 0;
    }

    /** Bytes reserved now (the metric mynaguard_http_body_memory_bytes). */
    synchronized long used() {
        return used;
    }

    /** Bytes of blocks kept for reuse. */
    synchronized long kept() {
        return keptBytes;
    }
}
