package jp.mynaguard.proxy.io;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;

/**
 * The threads every listener of the gateway (SMTP, HTTP proxy, console) runs on besides its event
 * loops: a bounded worker pool for blocking work (scanning, password hashing, the hold store), and
 * the one way they are all stopped.
 */
public final class ServerThreads {
    /** How long stopping waits for running work before interrupting it. */
    private static final long WORKER_GRACE_SECONDS = 5;
    /** Netty's quiet period and timeout for the event loops on stop. */
    private static final long LOOP_TIMEOUT_SECONDS = 2;

    private ServerThreads() {
    }

    /**
     * A fixed pool of daemon threads named {@code prefix-N} with a bounded queue; a full queue
     * rejects ({@link java.util.concurrent.RejectedExecutionException}) so callers answer "busy"
     * instead of piling work up. Idle threads end after a minute.
     */
    public static ThreadPoolExecutor workerPool(String prefix, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Stops the workers (running work gets a grace period, then an interrupt), then the event loops. */
    public static void shutdown(ThreadPoolExecutor workers, EventLoopGroup io, EventLoopGroup boss) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(WORKER_GRACE_SECONDS, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        io.shutdownGracefully(0, LOOP_TIMEOUT_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, LOOP_TIMEOUT_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
