package jp.mynaguard.proxy.gateway;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.rules.PolicyLoadException;
import jp.mynaguard.policy.rules.PolicyReloader;
import jp.mynaguard.proxy.ops.GatewayMetrics;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.audit.PolicyReloadRecord;
import jp.mynaguard.proxy.smtp.PolicySnapshot;

/**
 * The active policy for the running gateway: {@link PolicyReloader} watches the files (and
 * {@link #reload()} serves SIGHUP); each valid new policy replaces the snapshot, scanner included,
 * in one atomic swap. An invalid edit leaves the old policy in force (the reloader logs why).
 * Every load, accepted or rejected (with its errors), is an audit record.
 */
final class PolicyRuntime implements Supplier<PolicySnapshot>, Closeable {
    private final AtomicReference<PolicySnapshot> current = new AtomicReference<>();
    private final PolicyReloader reloader;
    private volatile java.time.Instant activatedAt = java.time.Instant.now();

    private PolicyRuntime(Path policyFile, GatewayMetrics metrics, AuditSink audit) throws PolicyLoadException {
        PolicyReloader r;
        try {
            r = PolicyReloader.builder(policyFile)
                    .listener(new PolicyReloader.Listener() {
                        @Override
                        public void activated(Policy policy, LoadResult result) {
                            PolicySnapshot previous = current.getAndSet(PolicySnapshot.of(policy));
                            activatedAt = java.time.Instant.now();
                            metrics.policyActivated(policy.shortVersion());
                            audit.record(PolicyReloadRecord.accepted(policy, result,
                                    previous == null ? null : previous.policy()));
                        }

                        @Override
                        public void rejected(LoadResult result, Policy stillActive) {
                            metrics.policyRejected();
                            audit.record(PolicyReloadRecord.rejected(result, stillActive));
                        }
                    })
                    .start();
        } catch (PolicyLoadException e) {
            audit.record(PolicyReloadRecord.rejected(e.result(), null));
            throw e;
        }
        this.reloader = r;
        current.compareAndSet(null, PolicySnapshot.of(reloader.get()));
    }

    static PolicyRuntime start(Path policyFile, GatewayMetrics metrics, AuditSink audit) throws PolicyLoadException {
        return new PolicyRuntime(policyFile, metrics, audit);
    }

    @Override
    public PolicySnapshot get() {
        return current.get();
    }

    /** Loads the files now, whether or not they changed (SIGHUP). */
    LoadResult reload() {
        return reloader.reload();
    }

    /** When the active policy came into force (start or the last successful reload). */
    java.time.Instant activatedAt() {
        return activatedAt;
    }

    /** The last rejected load while the previous policy stays active; empty after a good load. */
    java.util.Optional<LoadResult> lastRejected() {
        return reloader.lastRejected();
    }

    @Override
    public void close() {
        reloader.close();
    }
}
