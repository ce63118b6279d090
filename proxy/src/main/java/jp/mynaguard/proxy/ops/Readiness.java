package jp.mynaguard.proxy.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /readyz}: the gateway is ready when every check passes (the policy is loaded, the hold
 * store answers, the upstream is reachable). Checks may block (a query, a probe session), so they
 * run on the given executor, each bounded by a timeout; the answer is reused for a short while
 * and concurrent callers share one round, so probing {@code /readyz} often costs nothing extra.
 */
public final class Readiness {
    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** One named check. {@link #run()} may block; it returns the outcome or throws (= failed). */
    public interface Check {
        String name();

        Result run() throws Exception;

        static Check of(String name, CheckBody body) {
            return new Check() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Result run() throws Exception {
                    return body.run();
                }
            };
        }
    }

    /** The body of a check, for {@link Check#of}. */
    @FunctionalInterface
    public interface CheckBody {
        Result run() throws Exception;
    }

    /** A check's outcome; {@code detail} is short and holds no content, address or path. */
    public record Result(boolean ok, String detail) {
        public static Result ok(String detail) {
            return new Result(true, detail);
        }

        public static Result failed(String detail) {
            return new Result(false, detail);
        }
    }

    /** The outcome of every check, in order. */
    public record Report(boolean ready, List<Line> lines) {
        /** Plain text: {@code ready} or {@code not ready}, then one {@code name: ok|FAILED (detail)} per check. */
        public String text() {
            StringBuilder sb = new StringBuilder(ready ? "ready\n" : "not ready\n");
            for (Line l : lines) {
                sb.append(l.name()).append(": ").append(l.result().ok() ? "ok" : "FAILED");
                if (l.result().detail() != null && !l.result().detail().isEmpty()) {
                    sb.append(" (").append(l.result().detail()).append(')');
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    public record Line(String name, Result result) {
    }

    private final List<Check> checks;
    private final Executor executor;
    private final Duration timeout;
    private final long cacheNanos;
    private CompletableFuture<Report> last;
    private long lastAt;

    /**
     * @param timeout how long one check may take before it counts as failed
     * @param cache   how long an answer is reused
     */
    public Readiness(List<Check> checks, Executor executor, Duration timeout, Duration cache) {
        this.checks = List.copyOf(checks);
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.cacheNanos = cache.toNanos();
    }

    /** With the limits of {@link OpsLimits}. */
    public Readiness(List<Check> checks, Executor executor) {
        this(checks, executor, OpsLimits.CHECK_TIMEOUT, OpsLimits.READINESS_CACHE);
    }

    /** The current answer: the cached one, the round in flight, or a new round. Never fails. */
    public synchronized CompletableFuture<Report> check() {
        long now = System.nanoTime();
        if (last != null && (!last.isDone() || now - lastAt < cacheNanos)) {
            return last;
        }
        lastAt = now;
        List<CompletableFuture<Line>> running = new ArrayList<>();
        for (Check c : checks) {
            running.add(run(c));
        }
        last = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Line> lines = running.stream().map(CompletableFuture::join).toList();
            return new Report(lines.stream().allMatch(l -> l.result().ok()), lines);
        });
        return last;
    }

    private CompletableFuture<Line> run(Check c) {
        CompletableFuture<Result> r;
        try {
            r = CompletableFuture.supplyAsync(() -> {
                try {
                    return Objects.requireNonNull(c.run(), "result");
                } catch (Exception e) {
                    // The reason goes to the log, not to the unauthenticated endpoint.
                    log.warn("readiness check {} failed: {}", c.name(), e.toString());
                    return Result.failed("error");
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            r = CompletableFuture.completedFuture(Result.failed("busy"));
        }
        return r.completeOnTimeout(Result.failed("timed out after " + timeout.toMillis() + " ms"),
                        timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(result -> new Line(c.name(), result));
    }
}
