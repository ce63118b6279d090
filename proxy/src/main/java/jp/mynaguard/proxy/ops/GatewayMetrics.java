package jp.mynaguard.proxy.ops;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelHandler;
import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.extract.UnscannableReason;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.Channel;
import jp.mynaguard.policy.scan.ScanReport;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.HoldStore;

/**
 * Every metric of the gateway, in one place: the SMTP server, the HTTP proxy, the hold workflow
 * and the console call the typed methods here and never name a meter themselves, so names, tags
 * and their (bounded) values are decided once. Scraped as Prometheus text by {@link #scrape()}.
 *
 * <p>No tag ever carries content, an address, a user name or a rule name: tag values come from
 * enums or fixed lists, which keeps both the cardinality and the "no personal data" rule safe.
 * Meters that a dashboard expects to see at zero are registered up front.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** A listener whose connections are counted. */
    public enum Listener {
        SMTP, HTTP, CONSOLE, UPSTREAM;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Scan times up to the extraction limit's order of magnitude (Limits: 60 s per input). */
    private static final Duration[] SCAN_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60)};

    /** Kinds of upstream failure (the SMTP client's) and of the outbox; anything else is "other". */
    static final Set<String> UPSTREAM_ERROR_KINDS = Set.of("unreachable", "timeout", "connection_lost", "protocol",
            "tls", "auth", "local", "outbox");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Channel, Map<Action, Counter>> decisions = new EnumMap<>(Channel.class);
    private final Map<Channel, Map<FindingType, Map<Level, Counter>>> findings = new EnumMap<>(Channel.class);
    private final Map<Channel, Map<UnscannableReason, Counter>> unscannable = new EnumMap<>(Channel.class);
    private final Map<Channel, Timer> scanTime = new EnumMap<>(Channel.class);
    private final Counter releases;
    private final Counter releaseRetries;
    private final Counter releaseBounces;
    private final Counter reloadsAccepted;
    private final Counter reloadsRejected;
    private final MultiGauge policyVersion;
    private volatile double lastReloadOk = Double.NaN;
    private volatile double policyLoadedAt = Double.NaN;
    private JvmGcMetrics gc;

    /** Gateway meters only (tests, and servers started without a gateway). */
    public GatewayMetrics() {
        for (Channel ch : Channel.values()) {
            Map<Action, Counter> byAction = new EnumMap<>(Action.class);
            for (Action a : Action.values()) {
                byAction.put(a, Counter.builder("mynaguard.decisions")
                        .description("Messages (smtp) and uploads (http) decided, by the enforced action")
                        .tags("channel", ch.label(), "action", a.label()).register(registry));
            }
            decisions.put(ch, byAction);
            Map<FindingType, Map<Level, Counter>> byType = new EnumMap<>(FindingType.class);
            for (FindingType t : FindingType.values()) {
                Map<Level, Counter> byLevel = new EnumMap<>(Level.class);
                for (Level l : Level.values()) {
                    byLevel.put(l, Counter.builder("mynaguard.findings")
                            .description("Distinct numbers found, by type and confidence level")
                            .tags("channel", ch.label(), "type", t.name().toLowerCase(Locale.ROOT),
                                    "level", l.name().toLowerCase(Locale.ROOT)).register(registry));
                }
                byType.put(t, byLevel);
            }
            findings.put(ch, byType);
            Map<UnscannableReason, Counter> byReason = new EnumMap<>(UnscannableReason.class);
            for (UnscannableReason r : UnscannableReason.values()) {
                byReason.put(r, Counter.builder("mynaguard.unscannable")
                        .description("Parts that could not be inspected, by reason")
                        .tags("channel", ch.label(), "reason", r.label()).register(registry));
            }
            unscannable.put(ch, byReason);
            scanTime.put(ch, Timer.builder("mynaguard.scan")
                    .description("Time to inspect and decide one message or upload")
                    .tags("channel", ch.label())
                    .serviceLevelObjectives(SCAN_BUCKETS)
                    .register(registry));
        }
        releases = Counter.builder("mynaguard.releases").description("Held items delivered after release")
                .register(registry);
        releaseRetries = Counter.builder("mynaguard.release.retries")
                .description("Release deliveries retried after a temporary failure").register(registry);
        releaseBounces = Counter.builder("mynaguard.release.bounces")
                .description("Release deliveries refused for good (bounced to the sender)").register(registry);
        reloadsAccepted = Counter.builder("mynaguard.policy.reloads").description("Policy loads, by result")
                .tags("result", "accepted").register(registry);
        reloadsRejected = Counter.builder("mynaguard.policy.reloads").description("Policy loads, by result")
                .tags("result", "rejected").register(registry);
        Gauge.builder("mynaguard.policy.last.reload.success", this, m -> m.lastReloadOk)
                .description("1 when the last policy load was accepted, 0 when it was rejected (the old policy stays)")
                .register(registry);
        Gauge.builder("mynaguard.policy.loaded.timestamp", this, m -> m.policyLoadedAt)
                .description("When the active policy was loaded (Unix seconds)").baseUnit("seconds")
                .register(registry);
        policyVersion = MultiGauge.builder("mynaguard.policy.version")
                .description("The active policy's short version (SHA-256 of its files) as a label; value 1")
                .register(registry);
        for (Listener l : Listener.values()) {
            // Registered up front so a listener that is not running shows 0, not a missing series.
            Counter.builder("mynaguard.connections").description("Connections accepted or opened")
                    .tags("listener", l.label()).register(registry);
        }
        for (String kind : UPSTREAM_ERROR_KINDS) {
            upstreamErrorCounter(kind);
        }
    }

    /** Gateway meters and the JVM's (memory, GC, threads, CPU, uptime), for the running gateway. */
    public static GatewayMetrics withJvmMetrics() {
        GatewayMetrics m = new GatewayMetrics();
        new JvmMemoryMetrics().bindTo(m.registry);
        new JvmThreadMetrics().bindTo(m.registry);
        new ProcessorMetrics().bindTo(m.registry);
        new UptimeMetrics().bindTo(m.registry);
        m.gc = new JvmGcMetrics();
        m.gc.bindTo(m.registry);
        return m;
    }

    // ---------------------------------------------------------------- traffic

    /** One message or upload was decided; {@code action} is the enforced one. */
    public void decided(Channel channel, Action action) {
        decisions.get(channel).get(action).increment();
    }

    /** One message or upload was inspected: its findings, unscannable parts and how long it took. */
    public void inspected(Channel channel, ScanReport report, long nanos) {
        scanTime.get(channel).record(nanos, TimeUnit.NANOSECONDS);
        Map<FindingType, Map<Level, Counter>> byType = findings.get(channel);
        for (Finding f : report.findings()) {
            byType.get(f.type()).get(f.level()).increment();
        }
        Map<UnscannableReason, Counter> byReason = unscannable.get(channel);
        for (Unscannable u : report.unscannable()) {
            byReason.get(u.reason()).increment();
        }
    }

    // ---------------------------------------------------------------- hold store and release

    /**
     * Registers {@code mynaguard_hold_items{state}}: computed from the store when scraped, at most
     * once per {@link OpsLimits#HOLD_COUNT_CACHE} whatever the number of states and scrapers.
     */
    public void holdStore(HoldStore store) {
        HoldCounts counts = new HoldCounts(store, OpsLimits.HOLD_COUNT_CACHE);
        for (HoldState s : HoldState.values()) {
            Gauge.builder("mynaguard.hold.items", counts, c -> c.count(s))
                    .description("Items in the hold store, by state (NaN while the store cannot be read)")
                    .tags("state", s.name().toLowerCase(Locale.ROOT))
                    // Micrometer holds gauge objects weakly; nothing else holds the counts.
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** A held item was delivered after its release. */
    public void released() {
        releases.increment();
    }

    /** A release delivery failed temporarily and will be tried again. */
    public void releaseRetried() {
        releaseRetries.increment();
    }

    /** A release delivery was refused for good. */
    public void releaseBounced() {
        releaseBounces.increment();
    }

    // ---------------------------------------------------------------- upstream, TLS, connections

    /**
     * Talking to the upstream failed. {@code kind} is one of {@link #UPSTREAM_ERROR_KINDS}
     * (unreachable, timeout, connection_lost, protocol, tls, auth, local, outbox); others count as
     * "other" so a caller can never widen the label set.
     */
    public void upstreamError(String kind) {
        String k = kind == null ? "other" : kind.toLowerCase(Locale.ROOT);
        upstreamErrorCounter(UPSTREAM_ERROR_KINDS.contains(k) ? k : "other").increment();
    }

    private Counter upstreamErrorCounter(String kind) {
        return Counter.builder("mynaguard.upstream.errors").description("Failures talking to the upstream, by kind")
                .tags("kind", kind).register(registry);
    }

    /**
     * A TLS handshake failed; the reason is classified from the exception (see {@link TlsFailure}).
     * Returns it for the log line: log the reason, not the exception, whose message may hold a hex
     * dump of what the peer sent.
     */
    public TlsFailure tlsHandshakeFailed(Listener listener, Throwable cause) {
        TlsFailure reason = TlsFailure.of(cause);
        Counter.builder("mynaguard.tls.handshake.failures").description("Failed TLS handshakes, by listener and reason")
                .tags("listener", listener.label(), "reason", reason.label())
                .register(registry).increment();
        return reason;
    }

    /** Registers the open-connection gauge of a listener that counts its connections itself. */
    public void openConnections(Listener listener, IntSupplier open) {
        Gauge.builder("mynaguard.open.connections", open, s -> s.getAsInt())
                .description("Connections open now, by listener")
                .tags("listener", listener.label()).strongReference(true).register(registry);
    }

    /** Registers the gauge of the HTTP proxy's request bodies held in memory, in bytes (its budget's use). */
    public void bodyMemory(java.util.function.LongSupplier used, java.util.function.LongSupplier kept) {
        Gauge.builder("mynaguard.http.body.memory", used, s -> s.getAsLong())
                .description("Memory reserved by request bodies the HTTP proxy holds now")
                .baseUnit("bytes").strongReference(true).register(registry);
        Gauge.builder("mynaguard.http.body.memory.kept", kept, s -> s.getAsLong())
                .description("Memory blocks kept for the next request bodies, inside the same budget")
                .baseUnit("bytes").strongReference(true).register(registry);
    }

    /**
     * A sharable handler that counts the connections of a listener (put it first in the child
     * pipeline): {@code mynaguard_open_connections} and {@code mynaguard_connections_total}.
     */
    public ChannelHandler connectionCounter(Listener listener) {
        ConnectionCounter c = new ConnectionCounter(Counter.builder("mynaguard.connections")
                .description("Connections accepted or opened").tags("listener", listener.label()).register(registry));
        openConnections(listener, c::open);
        return c;
    }

    /** A connection was accepted (for listeners that count with {@link #openConnections}). */
    public void connectionAccepted(Listener listener) {
        Counter.builder("mynaguard.connections").description("Connections accepted or opened")
                .tags("listener", listener.label()).register(registry).increment();
    }

    /** A connection was refused by a listener's connection limits. */
    public void connectionRefused(Listener listener) {
        Counter.builder("mynaguard.connections.refused").description("Connections refused by the connection limits")
                .tags("listener", listener.label()).register(registry).increment();
    }

    // ---------------------------------------------------------------- policy

    /** A policy became active (at start or by a reload). */
    public void policyActivated(String shortVersion) {
        reloadsAccepted.increment();
        lastReloadOk = 1;
        policyLoadedAt = System.currentTimeMillis() / 1000.0;
        policyVersion.register(List.of(MultiGauge.Row.of(Tags.of("version", shortVersion), 1)), true);
    }

    /** A reload was rejected; the previous policy stays active. */
    public void policyRejected() {
        reloadsRejected.increment();
        lastReloadOk = 0;
    }

    // ---------------------------------------------------------------- exposition

    /** The registry, for binders and tests; callers record through the typed methods above. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Everything in the Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
