package jp.mynaguard.proxy.gateway;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.util.concurrent.DefaultThreadFactory;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.ops.GatewayMetrics;
import jp.mynaguard.proxy.ops.OpsHttpHandler;
import jp.mynaguard.proxy.ops.OpsLimits;
import jp.mynaguard.proxy.ops.OpsServer;
import jp.mynaguard.proxy.ops.OpsSettings;
import jp.mynaguard.proxy.ops.Readiness;
import jp.mynaguard.proxy.smtp.PolicySnapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's operations endpoints: the readiness checks (policy, hold store, upstream), the
 * {@link OpsHttpHandler} that serves them with the metrics (mounted in the console's pipeline), and,
 * when the console does not run on {@code ops.listen}, a listener of its own ({@link OpsServer}).
 */
final class GatewayOps implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayOps.class);
    /** Scrapes and checks at once; a hung store must not pile up threads, so the queue is bounded. */
    private static final int WORKERS = 2;
    private static final int QUEUE = 32;

    private final ThreadPoolExecutor workers;
    private final Readiness readiness;
    private final OpsHttpHandler handler;
    private final OpsServer server;

    private GatewayOps(ThreadPoolExecutor workers, Readiness readiness, OpsHttpHandler handler, OpsServer server) {
        this.workers = workers;
        this.readiness = readiness;
        this.handler = handler;
        this.server = server;
    }

    static GatewayOps start(OpsSettings settings, GatewayMetrics metrics, Supplier<PolicySnapshot> policy,
                            HoldStore holds, UpstreamHealth upstream, boolean ownListener) throws InterruptedException {
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), new DefaultThreadFactory("mynaguard-ops-worker", true),
                new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        Readiness readiness = new Readiness(List.of(
                Readiness.Check.of("policy", () -> {
                    PolicySnapshot p = policy.get();
                    return p == null ? Readiness.Result.failed("no policy loaded")
                            : Readiness.Result.ok("version " + p.policy().shortVersion());
                }),
                Readiness.Check.of("hold_store", () -> {
                    holds.ping();
                    return Readiness.Result.ok("answers");
                }),
                Readiness.Check.of("upstream", () -> upstream.check(OpsLimits.CHECK_TIMEOUT))), workers);
        OpsHttpHandler handler = new OpsHttpHandler(metrics, readiness, workers);
        OpsServer server = null;
        if (ownListener) {
            try {
                server = OpsServer.start(new InetSocketAddress(settings.listenHost(), settings.listenPort()), handler,
                        metrics.connectionCounter(GatewayMetrics.Listener.CONSOLE));
            } catch (RuntimeException e) {
                // Auxiliary: mail keeps flowing; the admin sees why the endpoints are missing.
                log.warn("cannot serve /metrics, /healthz and /readyz on {}:{}: {}", settings.listenHost(),
                        settings.listenPort(), e.toString());
            }
        }
        return new GatewayOps(workers, readiness, handler, server);
    }

    OpsHttpHandler handler() {
        return handler;
    }

    Readiness readiness() {
        return readiness;
    }

    /** The interim listener's address, {@code null} when it is not running. */
    InetSocketAddress address() {
        return server == null ? null : server.localAddress();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        workers.shutdownNow();
    }
}
