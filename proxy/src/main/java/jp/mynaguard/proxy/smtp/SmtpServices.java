package jp.mynaguard.proxy.smtp;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

import jp.mynaguard.proxy.ops.GatewayMetrics;

/**
 * What every session shares: configuration, the upstream, the end-of-DATA processor and the
 * bounded worker pool for blocking work (password hashing, scanning, the hold store).
 */
final class SmtpServices {
    final SmtpServerConfig config;
    final Upstream upstream;
    final MessageProcessor processor;
    final Executor workers;
    final Clock clock;
    final GatewayMetrics metrics;

    SmtpServices(SmtpServerConfig config, Upstream upstream, MessageProcessor processor, Executor workers, Clock clock) {
        this(config, upstream, processor, workers, clock, new GatewayMetrics());
    }

    SmtpServices(SmtpServerConfig config, Upstream upstream, MessageProcessor processor, Executor workers, Clock clock,
                 GatewayMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** SIZE we advertise and enforce: ours, or the upstream's when that is smaller. */
    long maxMessageSize() {
        long theirs = upstream.capabilities().maxSize();
        return theirs > 0 ? Math.min(theirs, config.maxMessageSize()) : config.maxMessageSize();
    }
}
