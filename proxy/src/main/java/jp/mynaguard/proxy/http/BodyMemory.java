package jp.mynaguard.proxy.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The direct memory request bodies may hold at once, shared by every connection. A body stays
 * in memory while it fits both its own cap and what is left here; otherwise it goes to the spool
 * file. Memory is reserved per block allocated, not per byte received, so a client that trickles
 * its body cannot pin more than it is charged for.
 */
final class BodyMemory {
    private final long perBody;
    private final long total;
    private final AtomicLong used = new AtomicLong();

    BodyMemory(long perBody, long total) {
        this.perBody = perBody;
        this.total = total;
    }

    /** The most one body keeps in memory. */
    long perBody() {
        return perBody;
    }

    /** Takes {@code n} bytes from what is left, or nothing and false. */
    boolean tryReserve(long n) {
        long now;
        do {
            now = used.get();
            if (now + n > total) {
                return false;
            }
        } while (!used.compareAndSet(now, now + n));
        return true;
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    /** Bytes reserved now (the metric mynaguard_http_body_memory_bytes). */
    long used() {
        return used.get();
    }
}
