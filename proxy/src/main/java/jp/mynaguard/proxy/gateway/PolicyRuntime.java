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
import jp.mynaguard.proxy.smtp.PolicySnapshot;

/**
 * The active policy for the running gateway: {@link PolicyReloader} watches the files (and
 * {@link #reload()} serves SIGHUP); each valid new policy replaces the snapshot, scanner included,
 * in one atomic swap. An invalid edit leaves the old policy in force (the reloader logs why).
 */
final class PolicyRuntime implements Supplier<PolicySnapshot>, Closeable {
    private final AtomicReference<PolicySnapshot> current = new AtomicReference<>();
    private final PolicyReloader reloader;
    private volatile java.time.Instant activatedAt = java.time.Instant.now();

    private PolicyRuntime(Path policyFile, GatewayMetrics metrics) throws PolicyLoadException {
        this.reloader = PolicyReloader.builder(policyFile)
                .listener(new PolicyReloader.Listener() {
                    @Override
                    public void activated(Policy policy, LoadResult result) {
                        current.set(PolicySnapshot.of(policy));
                        activatedAt = java.time.Instant.now();
                        metrics.policyActivated(policy.shortVersion());
                    }

                    @Override
                    public void rejected(LoadResult result, Policy stillActive) {
                        metrics.policyRejected();
                    }
                })
                .start();
        current.compareAndSet(null, PolicySnapshot.of(reloader.get()));
    }

    static PolicyRuntime start(Path policyFile, GatewayMetrics metrics) throws PolicyLoadException {
        return new PolicyRuntime(policyFile, metrics);
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
