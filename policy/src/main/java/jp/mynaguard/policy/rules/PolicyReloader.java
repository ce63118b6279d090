package jp.mynaguard.policy.rules;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the active policy current: reloads when its files change (a {@link WatchService} on
 * their directories for a quick reaction, and a content comparison every
 * {@link PolicyLimits#RELOAD_POLL_INTERVAL} for file systems that do not deliver events) and when
 * {@link #reload()} is called (the gateway wires SIGHUP to it).
 *
 * <p>A valid new policy replaces the old one atomically; decisions in flight keep the policy they
 * started with. An invalid one is rejected: the last good policy stays active, and the errors
 * ({@code file:line:column}) are kept for the console and metrics and passed to the listener.
 */
public final class PolicyReloader implements Supplier<Policy>, Closeable {
    private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

    /** Told about every reload outcome; called on the thread that reloaded. */
    public interface Listener {
        default void activated(Policy policy, LoadResult result) {
        }

        default void rejected(LoadResult result, Policy stillActive) {
        }
    }

    private final Path policyFile;
    private final PolicyLoader loader;
    private final Listener listener;
    private final Duration pollInterval;
    private final AtomicReference<Policy> current = new AtomicReference<>();
    private final AtomicReference<LoadResult> lastRejected = new AtomicReference<>();
    private final Object reloadLock = new Object();
    private volatile List<Path> watchedFiles;
    private volatile String lastFingerprint;
    private volatile boolean closed;
    private final WatchService watchService;
    private final Thread watcher;

    private PolicyReloader(Builder b) throws PolicyLoadException {
        this.policyFile = b.policyFile;
        this.loader = b.loader;
        this.listener = b.listener;
        this.pollInterval = b.pollInterval;
        LoadResult first = loader.load(policyFile);
        if (!first.ok()) {
            throw new PolicyLoadException(first);
        }
        accept(first);
        this.watchService = b.useWatchService ? newWatchService() : null;
        registerDirectories();
        this.watcher = new Thread(this::watchLoop, "mynaguard-policy-reloader");
        watcher.setDaemon(true);
        watcher.start();
    }

    public static Builder builder(Path policyFile) {
        return new Builder(policyFile);
    }

    /** The active policy; never {@code null}. */
    @Override
    public Policy get() {
        return current.get();
    }

    /** The last rejected load, until a valid policy is loaded again; for the console and metrics. */
    public Optional<LoadResult> lastRejected() {
        return Optional.ofNullable(lastRejected.get());
    }

    /** Loads the files now (SIGHUP, the console's reload button), whether or not they changed. */
    public LoadResult reload() {
        synchronized (reloadLock) {
            LoadResult r = loader.load(policyFile);
            if (r.ok()) {
                accept(r);
                registerDirectories();
            } else {
                lastRejected.set(r);
                watchedFiles = union(watchedFiles, r.files());
                lastFingerprint = fingerprint(watchedFiles);
                Policy active = current.get();
                log.warn("policy {} rejected, keeping {} active:\n{}", policyFile, active.shortVersion(),
                        TextOf.diagnostics(r.errors()));
                notify(() -> listener.rejected(r, active));
            }
            return r;
        }
    }

    private void accept(LoadResult r) {
        Policy policy = r.policy().orElseThrow();
        Policy previous = current.getAndSet(policy);
        lastRejected.set(null);
        watchedFiles = r.files();
        lastFingerprint = fingerprint(watchedFiles);
        if (previous != null) {
            log.info("policy {} reloaded: version {} (was {})", policyFile, policy.shortVersion(),
                    previous.shortVersion());
        }
        for (Diagnostic w : r.warnings()) {
            log.warn("{}", w);
        }
        notify(() -> listener.activated(policy, r));
    }

    /** A listener that throws must not stop the swap or the watching. */
    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("policy reload listener failed", e);
        }
    }

    /** Reloads if the content of any watched file differs from what was last loaded. */
    void reloadIfChanged() {
        synchronized (reloadLock) {
            if (!fingerprint(watchedFiles).equals(lastFingerprint)) {
                reload();
            }
        }
    }

    private void watchLoop() {
        long pollNanos = pollInterval.toNanos();
        while (!closed) {
            try {
                if (watchService == null) {
                    TimeUnit.NANOSECONDS.sleep(pollNanos);
                } else {
                    WatchKey key = watchService.poll(pollNanos, TimeUnit.NANOSECONDS);
                    if (key != null) {
                        // Editors write in several steps (truncate, write, rename); let them finish.
                        Thread.sleep(PolicyLimits.RELOAD_SETTLE_TIME.toMillis());
                        drain(key);
                    }
                }
                if (!closed) {
                    reloadIfChanged();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                // Keep watching: a failed check must not end hot reload for the life of the gateway.
                log.error("policy reload check failed", e);
            }
        }
    }

    private void drain(WatchKey first) {
        WatchKey key = first;
        while (key != null) {
            key.pollEvents();
            key.reset();
            key = watchService.poll();
        }
    }

    private void registerDirectories() {
        if (watchService == null) {
            return;
        }
        Set<Path> dirs = new HashSet<>();
        for (Path f : watchedFiles) {
            Path dir = f.toAbsolutePath().getParent();
            if (dir != null && dirs.add(dir)) {
                try {
                    dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                } catch (IOException e) {
                    log.warn("cannot watch {} ({}); relying on polling every {}", dir, e.toString(), pollInterval);
                }
            }
        }
    }

    private static WatchService newWatchService() {
        try {
            return FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("no file watch service ({}); relying on polling", e.toString());
            return null;
        }
    }

    /** SHA-256 over the files' content, with a marker for missing files. */
    private static String fingerprint(List<Path> files) {
        List<byte[]> contents = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                contents.add(Files.readAllBytes(f));
            } catch (NoSuchFileException e) {
                contents.add(new byte[] {0});
            } catch (IOException e) {
                contents.add(new byte[] {1});
            }
        }
        return PolicyVersion.of(contents);
    }

    private static List<Path> union(List<Path> a, List<Path> b) {
        List<Path> out = new ArrayList<>(a);
        for (Path p : b) {
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                log.debug("closing the watch service", e);
            }
        }
    }

    public static final class Builder {
        private final Path policyFile;
        private PolicyLoader loader = PolicyLoader.withSystemClock();
        private Listener listener = new Listener() { };
        private Duration pollInterval = PolicyLimits.RELOAD_POLL_INTERVAL;
        private boolean useWatchService = true;

        private Builder(Path policyFile) {
            this.policyFile = Objects.requireNonNull(policyFile, "policyFile");
        }

        public Builder loader(PolicyLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive");
            }
            this.pollInterval = interval;
            return this;
        }

        /** {@code false}: poll only (for file systems without change events, and for tests of the fallback). */
        public Builder useWatchService(boolean use) {
            this.useWatchService = use;
            return this;
        }

        /** Loads the policy and starts watching; fails if the first load has errors. */
        public PolicyReloader start() throws PolicyLoadException {
            return new PolicyReloader(this);
        }
    }
}
