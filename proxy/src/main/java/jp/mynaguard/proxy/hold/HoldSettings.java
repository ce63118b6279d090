package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.io.Checks.positive;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Every setting of the workflow, the scheduler, release and retention, with its default and the
 * reason for it, in one place ({@code hold:} in gateway.yaml); fixed limits are in
 * {@link HoldLimits}. Immutable; {@link #builder()}.
 */
public final class HoldSettings {
    /** How often the scheduler looks for due work: timed holds, reminders, expiry, releases, purges. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(5);
    /** How long content is kept after an item reached a final state, then crypto-shredded. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** How long a release keeps retrying a smarthost that answers 4xx or cannot be reached (like an MTA's queue lifetime). */
    public static final Duration DEFAULT_RELEASE_RETRY_FOR = Duration.ofHours(24);
    /** First retry after a temporary failure; doubled each time up to the maximum interval. */
    public static final Duration DEFAULT_FIRST_RETRY = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MAX_RETRY_INTERVAL = Duration.ofHours(1);
    /**
     * How long an instance owns a release it claimed. Longer than any one relay attempt may take
     * (the upstream client's own timeouts), so a live owner never loses it; after a crash another
     * instance takes over once it has run out.
     */
    public static final Duration DEFAULT_RELEASE_LEASE = Duration.ofMinutes(15);
    /**
     * The longest the scheduler waits for one relay attempt (the upstream client's connect,
     * command and 5-minute data timeouts end it before). An attempt still running then stays
     * claimed until it ends or the lease runs out.
     */
    public static final Duration DEFAULT_RELAY_TIMEOUT = Duration.ofMinutes(8);
    /** Items one scheduler step handles per tick (the rest wait for the next tick). */
    public static final int DEFAULT_BATCH = 50;
    /** Releases started per tick, sent in parallel. */
    public static final int DEFAULT_RELEASES_PER_TICK = 10;
    /** The console as the default {@code --console-listen} serves it; links in notices point there. */
    public static final String DEFAULT_CONSOLE_URL = "http://127.0.0.1:8025/";

    private final Duration tick;
    private final Duration retention;
    private final Duration releaseRetryFor;
    private final Duration firstRetry;
    private final Duration maxRetryInterval;
    private final Duration releaseLease;
    private final Duration relayTimeout;
    private final int batch;
    private final int releasesPerTick;
    private final String consoleUrl;
    private final Path templateDirectory;
    private final PostgresSettings postgres;
    private final String noticeFrom;
    private final String hostname;
    private final ZoneId zone;
    private final Path spoolDirectory;

    private HoldSettings(Builder b) {
        this.tick = positive(b.tick, "scheduler_tick");
        this.retention = positive(b.retention, "retention");
        this.releaseRetryFor = positive(b.releaseRetryFor, "release_retry_for");
        this.firstRetry = positive(b.firstRetry, "release_first_retry");
        this.maxRetryInterval = positive(b.maxRetryInterval, "release_max_retry_interval");
        this.releaseLease = positive(b.releaseLease, "release_lease");
        this.relayTimeout = positive(b.relayTimeout, "relay_timeout");
        if (relayTimeout.compareTo(releaseLease) >= 0) {
            throw new IllegalArgumentException("relay_timeout must be shorter than release_lease");
        }
        if (maxRetryInterval.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("release_max_retry_interval must not be shorter than release_first_retry");
        }
        if (b.batch < 1 || b.releasesPerTick < 1) {
            throw new IllegalArgumentException("batch sizes must be positive");
        }
        this.batch = b.batch;
        this.releasesPerTick = b.releasesPerTick;
        this.consoleUrl = b.consoleUrl.endsWith("/") ? b.consoleUrl : b.consoleUrl + "/";
        if (!consoleUrl.startsWith("http://") && !consoleUrl.startsWith("https://")) {
            throw new IllegalArgumentException("console_url must be an http:// or https:// URL");
        }
        this.templateDirectory = b.templateDirectory;
        this.postgres = b.postgres;
        this.noticeFrom = b.noticeFrom;
        this.hostname = Objects.requireNonNull(b.hostname, "hostname");
        this.zone = Objects.requireNonNull(b.zone, "zone");
        this.spoolDirectory = b.spoolDirectory;
    }

    public static HoldSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.tick = tick;
        b.retention = retention;
        b.releaseRetryFor = releaseRetryFor;
        b.firstRetry = firstRetry;
        b.maxRetryInterval = maxRetryInterval;
        b.releaseLease = releaseLease;
        b.relayTimeout = relayTimeout;
        b.batch = batch;
        b.releasesPerTick = releasesPerTick;
        b.consoleUrl = consoleUrl;
        b.templateDirectory = templateDirectory;
        b.postgres = postgres;
        b.noticeFrom = noticeFrom;
        b.hostname = hostname;
        b.zone = zone;
        b.spoolDirectory = spoolDirectory;
        return b;
    }

    public Duration tick() {
        return tick;
    }

    public Duration retention() {
        return retention;
    }

    public Duration releaseRetryFor() {
        return releaseRetryFor;
    }

    public Duration firstRetry() {
        return firstRetry;
    }

    public Duration maxRetryInterval() {
        return maxRetryInterval;
    }

    public Duration releaseLease() {
        return releaseLease;
    }

    public Duration relayTimeout() {
        return relayTimeout;
    }

    public int batch() {
        return batch;
    }

    public int releasesPerTick() {
        return releasesPerTick;
    }

    /** The console's base URL, ending in {@code /}. */
    public String consoleUrl() {
        return consoleUrl;
    }

    /** The console page of one item: {@code BASE/items/REF}. */
    public String itemUrl(String referenceId) {
        return consoleUrl + "items/" + referenceId;
    }

    /** Where an admin's edited notice templates are; {@code null}: the built-in ones only. */
    public Path templateDirectory() {
        return templateDirectory;
    }

    /** The shared PostgreSQL store, or {@code null} for the embedded SQLite store. */
    public PostgresSettings postgres() {
        return postgres;
    }

    /** From: of notices; {@code null}: {@code postmaster@HOSTNAME}. */
    public String noticeFrom() {
        return noticeFrom != null ? noticeFrom : "postmaster@" + hostname;
    }

    public String hostname() {
        return hostname;
    }

    /** Time zone of times in notices. */
    public ZoneId zone() {
        return zone;
    }

    /** A private directory for released content too large for memory; {@code null}: the JVM's temp directory. */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /** The wait before retry number {@code attempt} (1 = after the first failure): doubling, capped. */
    public Duration retryDelay(int attempt) {
        Duration d = firstRetry;
        for (int i = 1; i < attempt && d.compareTo(maxRetryInterval) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetryInterval) > 0 ? maxRetryInterval : d;
    }

    @Override
    public String toString() {
        return "store " + (postgres == null ? "sqlite" : postgres) + ", retention " + retention + ", release retry for "
                + releaseRetryFor + ", console " + consoleUrl;
    }

    public static final class Builder {
        private Duration tick = DEFAULT_TICK;
        private Duration retention = DEFAULT_RETENTION;
        private Duration releaseRetryFor = DEFAULT_RELEASE_RETRY_FOR;
        private Duration firstRetry = DEFAULT_FIRST_RETRY;
        private Duration maxRetryInterval = DEFAULT_MAX_RETRY_INTERVAL;
        private Duration releaseLease = DEFAULT_RELEASE_LEASE;
        private Duration relayTimeout = DEFAULT_RELAY_TIMEOUT;
        private int batch = DEFAULT_BATCH;
        private int releasesPerTick = DEFAULT_RELEASES_PER_TICK;
        private String consoleUrl = DEFAULT_CONSOLE_URL;
        private Path templateDirectory;
        private PostgresSettings postgres;
        private String noticeFrom;
        private String hostname = "localhost";
        private ZoneId zone = ZoneId.systemDefault();
        private Path spoolDirectory;

        private Builder() {
        }

        public Builder tick(Duration d) {
            this.tick = d;
            return this;
        }

        public Builder retention(Duration d) {
            this.retention = d;
            return this;
        }

        public Builder releaseRetryFor(Duration d) {
            this.releaseRetryFor = d;
            return this;
        }

        public Builder firstRetry(Duration d) {
            this.firstRetry = d;
            return this;
        }

        public Builder maxRetryInterval(Duration d) {
            this.maxRetryInterval = d;
            return this;
        }

        public Builder releaseLease(Duration d) {
            this.releaseLease = d;
            return this;
        }

        public Builder relayTimeout(Duration d) {
            this.relayTimeout = d;
            return this;
        }

        public Builder batch(int n) {
            this.batch = n;
            return this;
        }

        public Builder releasesPerTick(int n) {
            this.releasesPerTick = n;
            return this;
        }

        public Builder consoleUrl(String url) {
            this.consoleUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        public Builder templateDirectory(Path dir) {
            this.templateDirectory = dir;
            return this;
        }

        public Builder postgres(PostgresSettings p) {
            this.postgres = p;
            return this;
        }

        public Builder noticeFrom(String address) {
            this.noticeFrom = address;
            return this;
        }

        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        public Builder zone(ZoneId z) {
            this.zone = z;
            return this;
        }

        public Builder spoolDirectory(Path dir) {
            this.spoolDirectory = dir;
            return this;
        }

        public HoldSettings build() {
            return new HoldSettings(this);
        }
    }
}
