package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.gateway.Durations;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.GatewayConfigLoader;
import jp.mynaguard.proxy.hold.ContentRetention;
import jp.mynaguard.proxy.hold.HoldLimits;
import jp.mynaguard.proxy.hold.HoldSettings;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.hold.ItemQuery;
import jp.mynaguard.proxy.hold.PostgresHoldStore;
import jp.mynaguard.proxy.hold.SqliteHoldStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hold purge [--config FILE | --data DIR] [--retention 7d] [--dry-run]}. */
@Command(name = "purge",
        mixinStandardHelpOptions = true,
        description = {
            "Destroys the content of items that reached a final state (released, rejected, expired,",
            "cancelled) longer ago than the retention period: their data key is deleted, then the",
            "encrypted content (crypto-shredding). Who, which rule, counts and decisions stay.",
            "The gateway does the same on its own schedule; this runs it now.",
            "",
            "Exit status: 0 = done (possibly nothing to purge); 1 = no store, bad option or an error."})
public final class HoldPurgeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "gateway.yaml: its data directory, hold.retention and hold.store (PostgreSQL) are used.")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory of the gateway (default: data).")
    Path data;

    @Option(names = "--retention", paramLabel = "DURATION",
            description = "Keep content this long after the final state, e.g. 7d, 36h (default: the config's, else 7d).")
    String retention;

    @Option(names = "--dry-run", description = "Only count what would be purged.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        GatewayConfig config;
        Duration keep;
        try {
            GatewayConfig.Builder b = GatewayConfig.builder();
            if (configFile != null) {
                GatewayConfigLoader.load(configFile, b);
            }
            if (data != null) {
                b.dataDir(data);
            }
            config = b.build();
            keep = retention != null ? Durations.parse(retention) : config.hold().retention();
            if (keep.isNegative()) {
                throw new IllegalArgumentException("--retention must not be negative");
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("hold purge: " + e.getMessage());
            return 1;
        }
        HoldSettings hold = config.hold();
        if (hold.postgres() == null && !SqliteHoldStore.exists(config.dataDir())) {
            err.println("hold purge: no hold store under " + config.dataDir() + " (nothing has been held yet, or wrong --data)");
            return 1;
        }
        Instant now = Instant.now();
        Instant cutoff = now.minus(keep);
        try (HoldStore store = hold.postgres() != null ? PostgresHoldStore.open(hold.postgres(), config.dataDir())
                : SqliteHoldStore.open(config.dataDir())) {
            if (dryRun) {
                int n = store.due(ItemQuery.Due.PURGE, cutoff, HoldLimits.MAX_LIST).size();
                out.println("would purge " + n + (n == HoldLimits.MAX_LIST ? "+" : "") + " item(s) final before "
                        + cutoff.truncatedTo(ChronoUnit.SECONDS));
                return 0;
            }
            int n = ContentRetention.of(store, AuditSink.NONE).purge(now, keep, "cli:" + System.getProperty("user.name"));
            out.println("purged " + n + " item(s) final before " + cutoff.truncatedTo(ChronoUnit.SECONDS)
                    + " (content destroyed, metadata kept)");
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("hold purge: " + e.getMessage());
            return 1;
        }
    }
}
