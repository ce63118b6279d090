package jp.mynaguard.proxy.gateway;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jp.mynaguard.proxy.ops.GatewayMetrics;
import jp.mynaguard.proxy.ops.Readiness;
import jp.mynaguard.proxy.smtp.Upstream;
import jp.mynaguard.proxy.smtp.UpstreamObserver;

/**
 * What the gateway knows about its upstream: failures go to the metrics, and readiness is
 * "answered recently and has not failed since" or else a probe session, waited for at most the
 * check's timeout. Live traffic is the evidence; the probe is the fallback for a quiet gateway.
 */
final class UpstreamHealth implements UpstreamObserver {
    private final Upstream upstream;
    private final GatewayMetrics metrics;
    private final long freshNanos;
    private volatile long lastReached;
    private volatile boolean everReached;
    /** Set by a failure, cleared by the next answer: a recent answer then a failure is not "fresh". */
    private volatile boolean failedSince;

    UpstreamHealth(Upstream upstream, GatewayMetrics metrics, Duration fresh) {
        this.upstream = upstream;
        this.metrics = metrics;
        this.freshNanos = fresh.toNanos();
    }

    @Override
    public void reached() {
        lastReached = System.nanoTime();
        everReached = true;
        failedSince = false;
    }

    @Override
    public void failed(String kind) {
        failedSince = true;
        metrics.upstreamError(kind);
    }

    @Override
    public void tlsHandshakeFailed(Throwable cause) {
        metrics.tlsHandshakeFailed(GatewayMetrics.Listener.UPSTREAM, cause);
    }

    /** The readiness check; blocks for at most {@code timeout}. */
    Readiness.Result check(Duration timeout) throws Exception {
        long now = System.nanoTime();
        long reached = lastReached;
        if (everReached && !failedSince && now - reached < freshNanos) {
            return Readiness.Result.ok("answered " + TimeUnit.NANOSECONDS.toSeconds(now - reached) + " s ago");
        }
        boolean ok = upstream.probeReachable().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return ok ? Readiness.Result.ok("probe succeeded") : Readiness.Result.failed("unreachable");
    }
}
