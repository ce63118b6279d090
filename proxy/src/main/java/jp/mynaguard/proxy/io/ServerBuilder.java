package jp.mynaguard.proxy.io;

/**
 * The thread settings the SMTP server's and the HTTP proxy's builders share, and the
 * {@link ServerThreads} they start with them. {@code B} is the protocol's builder, so chained calls
 * keep its type.
 *
 * @param <B> the protocol's server builder
 */
public abstract class ServerBuilder<B extends ServerBuilder<B>> {
    private int ioThreads = 0;
    private int workerThreads;
    private int workerQueue;

    /** The protocol's worker pool defaults (from its Limits class). */
    protected ServerBuilder(int workerThreads, int workerQueue) {
        this.workerThreads = workerThreads;
        this.workerQueue = workerQueue;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Event loop threads; 0 = Netty's default (twice the cores). */
    public final B ioThreads(int n) {
        this.ioThreads = n;
        return self();
    }

    /** Workers for blocking work (scanning, deciding, hashing passwords, the hold store), and how many may wait. */
    public final B workers(int threads, int queue) {
        if (threads < 1 || queue < 1) {
            throw new IllegalArgumentException("workers and queue must be positive");
        }
        this.workerThreads = threads;
        this.workerQueue = queue;
        return self();
    }

    /** Starts the threads these settings describe; the server stops them ({@link ServerThreads#shutdown()}). */
    protected final ServerThreads startThreads(String workerPrefix) {
        return ServerThreads.start(workerPrefix, ioThreads, workerThreads, workerQueue);
    }
}
