package jp.mynaguard.proxy.io;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;

/**
 * The threads every listener of the gateway (SMTP, HTTP proxy, console) runs on besides its event
 * loops: a bounded worker pool for blocking work (scanning, password hashing, the hold store), and
 * the one way they are all stopped. The SMTP server and the HTTP proxy also share the event loops,
 * the listening socket's options and the wait for open connections on stop: an instance holds one
 * such listener's threads ({@link #start}).
 *
 * @param boss    accepts connections
 * @param io      the event loops of the connections
 * @param workers the pool for blocking work; a full queue rejects
 */
public record ServerThreads(EventLoopGroup boss, EventLoopGroup io, ThreadPoolExecutor workers) {
    /** How long stopping waits for running work before interrupting it. */
    private static final long WORKER_GRACE_SECONDS = 5;
    /** Netty's quiet period and timeout for the event loops on stop. */
    private static final long LOOP_TIMEOUT_SECONDS = 2;
    /** Pending connects the kernel queues for a protocol listener: a burst of clients is not refused. */
    private static final int ACCEPT_BACKLOG = 1024;
    /** How often a stop looks whether the open connections have finished (ChannelGroup has no "empty" future). */
    private static final long DRAIN_POLL_MILLIS = 20;
    /** How long a stop waits for the connections it closes itself: a stuck close must not hang the stop. */
    private static final long CLOSE_TIMEOUT_SECONDS = 2;

    /**
     * A protocol listener's threads on the {@link NettyTransport}: one acceptor, {@code ioThreads}
     * event loops (0 = Netty's default, twice the cores) and a {@link #workerPool}.
     */
    public static ServerThreads start(String workerPrefix, int ioThreads, int workerThreads, int workerQueue) {
        ThreadPoolExecutor workers = workerPool(workerPrefix, workerThreads, workerQueue);
        return new ServerThreads(new MultiThreadIoEventLoopGroup(1, NettyTransport.ioHandlerFactory()),
                new MultiThreadIoEventLoopGroup(ioThreads, NettyTransport.ioHandlerFactory()), workers);
    }

    /**
     * Binds a protocol listener on these threads. Auto-read is off on its connections: the
     * protocol decoders read when they want the next bytes, which is the backpressure while a
     * message or request is decided and forwarded. TCP_NODELAY: replies are small and awaited.
     */
    public Channel bind(InetSocketAddress address, ChannelHandler childHandler) throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, io)
                .channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childHandler)
                .bind(address).sync().channel();
    }

    /** Stops these threads as {@link #shutdown(ThreadPoolExecutor, EventLoopGroup, EventLoopGroup)} does. */
    public void shutdown() {
        shutdown(workers, io, boss);
    }

    /**
     * Waits until every channel in {@code open} has closed by itself or {@code grace} has passed.
     * An interrupt ends the wait early (and stays set): the caller closes what is left.
     *
     * @return whether none is left open
     */
    public static boolean awaitClosed(ChannelGroup open, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return open.isEmpty();
    }

    /** Closes the channels still in {@code open} and waits briefly for them. */
    public static void closeAll(ChannelGroup open) {
        open.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
