package jp.mynaguard.proxy.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

import jp.mynaguard.proxy.hold.HoldSettings;
import jp.mynaguard.proxy.hold.PostgresSettings;

/**
 * The {@code hold:} section of gateway.yaml: the console link in notices, retention, release
 * retries, notice templates and the shared PostgreSQL store. Every key is checked like the rest
 * of the file; defaults and their reasons are in {@link HoldSettings}.
 */
final class HoldConfigReader {
    private HoldConfigReader() {
    }

    static HoldSettings read(GatewayConfigLoader.Section s, Path base) {
        s.allow(Set.of("console_url", "retention", "release_retry_for", "release_first_retry",
                "release_max_retry_interval", "release_lease", "relay_timeout", "scheduler_tick", "templates", "store"));
        HoldSettings.Builder b = HoldSettings.builder();
        if (s.has("console_url")) {
            b.consoleUrl(s.string("console_url"));
        }
        duration(s, "retention", b::retention);
        duration(s, "release_retry_for", b::releaseRetryFor);
        duration(s, "release_first_retry", b::firstRetry);
        duration(s, "release_max_retry_interval", b::maxRetryInterval);
        duration(s, "release_lease", b::releaseLease);
        duration(s, "relay_timeout", b::relayTimeout);
        duration(s, "scheduler_tick", b::tick);
        if (s.has("templates")) {
            b.templateDirectory(base.resolve(s.string("templates")));
        }
        if (s.has("store")) {
            GatewayConfigLoader.Section st = s.section("store");
            st.allow(Set.of("jdbc_url", "user", "password_file", "pool_size"));
            String url = st.string("jdbc_url");
            String user = st.has("user") ? st.string("user") : null;
            Path password = st.has("password_file") ? base.resolve(st.string("password_file")) : null;
            int pool = st.has("pool_size") ? st.integer("pool_size") : PostgresSettings.DEFAULT_POOL_SIZE;
            b.postgres(st.wrap("", () -> new PostgresSettings(url, user, password, pool)));
        }
        return s.wrap("", b::build);
    }

    private static void duration(GatewayConfigLoader.Section s, String key, Consumer<Duration> set) {
        if (s.has(key)) {
            Duration d = s.wrap(key, () -> Durations.parse(s.string(key)));
            s.check(key, !d.isNegative() && !d.isZero(), "must be positive");
            set.accept(d);
        }
    }
}
