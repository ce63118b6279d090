package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jp.mynaguard.proxy.ReferenceId;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.smtp.Upstream;

/**
 * The workflow's clock: one thread that every {@link HoldSettings#tick()} (and right after an
 * approval) announces new items, releases timed holds, expires, escalates and reminds
 * ({@link HoldTimers}), releases approved items ({@link ReleaseWorker}) and destroys content
 * whose retention is over ({@link ContentRetention}). Each step is a compare-and-set per item,
 * so any number of gateway instances may run a scheduler on one shared store. The clock is
 * injected: tests call {@link #tick()} with a clock they move.
 */
public final class HoldScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HoldScheduler.class);

    private final Clock clock;
    private final HoldSettings settings;
    private final HoldTimers timers;
    private final ReleaseWorker releases;
    private final ContentRetention retention;
    private final String owner;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private ScheduledExecutorService thread;

    /**
     * @param admins addresses told about quarantined items (the policy's security team, read when needed)
     * @param owner  this instance's name in release claims; {@code null}: host, process id and a random part
     */
    public HoldScheduler(HoldStore store, Upstream upstream, HoldSettings settings, HoldNotifier notifier,
                         AuditSink audit, Clock clock, Supplier<List<String>> admins, String owner) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        WorkflowAudit a = new WorkflowAudit(Objects.requireNonNull(audit, "audit"));
        this.owner = owner != null ? owner : defaultOwner(settings.hostname());
        this.timers = new HoldTimers(store, settings, notifier, a, admins);
        this.releases = new ReleaseWorker(store, upstream, settings, notifier, a, this.owner);
        this.retention = new ContentRetention(store, a, settings.batch());
    }

    /** Starts ticking, and makes {@code workflow}'s approvals start their release at once. */
    public synchronized void start(ApprovalWorkflow workflow) {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mynaguard-hold-scheduler");
            t.setDaemon(true);
            return t;
        });
        long period = settings.tick().toMillis();
        thread.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
        if (workflow != null) {
            workflow.onApproved(this::wake);
        }
        LOG.info("hold scheduler {} started (every {})", owner, settings.tick());
    }

    /** Runs a tick soon on the scheduler thread (several wakes before it runs make one tick). */
    public void wake() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && wakePending.compareAndSet(false, true)) {
            try {
                t.execute(() -> {
                    wakePending.set(false);
                    tick();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wakePending.set(false);
            }
        }
    }

    /** One round of every step at the clock's now; a failing step is logged and the others still run. */
    public void tick() {
        Instant now = clock.instant();
        step("notify", () -> timers.announce(now));
        step("timed release", () -> timers.timedReleases(now));
        step("expire", () -> timers.expire(now));
        step("escalate", () -> timers.escalate(now));
        step("remind", () -> timers.remind(now));
        step("release", () -> releases.runOnce(now));
        step("retention", () -> retention.purge(now, settings.retention(), "system"));
    }

    public String owner() {
        return owner;
    }

    @FunctionalInterface
    private interface Step {
        int run() throws IOException;
    }

    private static void step(String name, Step s) {
        try {
            s.run();
        } catch (IOException | RuntimeException e) {
            LOG.error("hold scheduler: {} failed: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t == null) {
            return;
        }
        t.shutdown();
        try {
            if (!t.awaitTermination(HoldLimits.SCHEDULER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("hold scheduler: a release was still running at stop; it is taken over after its lease");
                t.shutdownNow();
            }
        } catch (InterruptedException e) {
            t.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static String defaultOwner(String hostname) {
        return hostname + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/" + ReferenceId.next();
    }
}
