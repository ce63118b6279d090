package jp.mynaguard.proxy.smtp.upstream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle, ready-for-MAIL connections to the smarthost, so a busy gateway does not pay TCP, TLS,
 * EHLO and AUTH for every message. Most recently used first (the likeliest to be still open on
 * the far side). A connection leaves the pool when it has been idle for
 * {@link UpstreamConfig#idleTimeout()}, is older than {@link UpstreamConfig#maxConnectionAge()},
 * or the smarthost closes it; surplus beyond {@link UpstreamConfig#maxIdleConnections()} is closed.
 */
final class ConnectionPool {
    private record Idle(UpstreamConnection connection, long sinceNanos) {
    }

    private final int maxIdle;
    private final Duration idleTimeout;
    private final Duration maxAge;
    /** Guarded by this. */
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(UpstreamConfig config) {
        this.maxIdle = config.maxIdleConnections();
        this.idleTimeout = config.idleTimeout();
        this.maxAge = config.maxConnectionAge();
    }

    /** A pooled connection, or null when none is left. */
    UpstreamConnection poll() {
        List<UpstreamConnection> stale = new ArrayList<>();
        try {
            synchronized (this) {
                Idle e;
                while ((e = idle.pollFirst()) != null) {
                    if (reusable(e.connection()) && System.nanoTime() - e.sinceNanos() < idleTimeout.toNanos()) {
                        return e.connection();
                    }
                    stale.add(e.connection());
                }
                return null;
            }
        } finally {
            stale.forEach(UpstreamConnection::quit);
        }
    }

    /** Gives a connection back after its transaction ended cleanly (nothing pending on it). */
    void release(UpstreamConnection c) {
        if (!reusable(c)) {
            c.quit();
            return;
        }
        Idle entry = new Idle(c, System.nanoTime());
        UpstreamConnection surplus = null;
        synchronized (this) {
            if (closed || maxIdle == 0) {
                surplus = c;
            } else {
                idle.addFirst(entry);
                if (idle.size() > maxIdle) {
                    surplus = idle.pollLast().connection();
                }
            }
        }
        if (surplus != null) {
            surplus.quit();
        }
        if (surplus != c) {
            c.channel().eventLoop().schedule(() -> expire(entry), idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Forgets a connection the smarthost closed while it sat idle. */
    void remove(UpstreamConnection c) {
        synchronized (this) {
            idle.removeIf(e -> e.connection() == c);
        }
    }

    synchronized int idleCount() {
        return idle.size();
    }

    void close() {
        List<Idle> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(e -> e.connection().quit());
    }

    private void expire(Idle entry) {
        boolean removed;
        synchronized (this) {
            removed = idle.removeIf(e -> e == entry);
        }
        if (removed) {
            entry.connection().quit();
        }
    }

    private boolean reusable(UpstreamConnection c) {
        return c.usable() && c.age().compareTo(maxAge) < 0;
    }
}
