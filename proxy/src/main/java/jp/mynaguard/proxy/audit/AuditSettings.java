package jp.mynaguard.proxy.audit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code audit:} section of gateway.yaml: where the trail lives, how often it is sealed and
 * rotated, the optional syslog copy and the incident alerts. Defaults are {@link AuditLimits}'.
 *
 * @param dir                 the audit directory; {@code null} = {@code DATA/audit}
 * @param checkpointEvery     seal after this many records ...
 * @param checkpointInterval  ... or after this long, whichever first
 * @param rotateBytes         begin a new file from this size on (and every day)
 * @param queueCapacity       events waiting for the writer
 * @param zone                the day of the file names and of the reports
 * @param syslog              the copy to syslog, or {@code null}
 * @param alerts              incident alerts (mail and webhook)
 */
public record AuditSettings(Path dir, int checkpointEvery, Duration checkpointInterval, long rotateBytes,
                            int queueCapacity, ZoneId zone, SyslogSettings syslog, AlertSettings alerts) {
    public static final AuditSettings DEFAULTS = new AuditSettings(null, AuditLimits.CHECKPOINT_EVERY,
            AuditLimits.CHECKPOINT_INTERVAL, AuditLimits.ROTATE_BYTES, AuditLimits.QUEUE_CAPACITY,
            ZoneId.systemDefault(), null, AlertSettings.DEFAULTS);

    public AuditSettings {
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(alerts, "alerts");
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint_every must be at least 1");
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpoint_interval must be positive");
        }
        if (rotateBytes < AuditLimits.MIN_ROTATE_BYTES) {
            throw new IllegalArgumentException("rotate_bytes must be at least " + AuditLimits.MIN_ROTATE_BYTES);
        }
        if (queueCapacity < 16) {
            throw new IllegalArgumentException("queue must be at least 16");
        }
    }

    /** The audit directory for a data directory. */
    public Path dirUnder(Path dataDir) {
        return dir != null ? dir : dataDir.resolve("audit");
    }

    public AuditSettings withDir(Path d) {
        return new AuditSettings(d, checkpointEvery, checkpointInterval, rotateBytes, queueCapacity, zone, syslog, alerts);
    }

    public AuditSettings withCheckpoints(int every, Duration interval) {
        return new AuditSettings(dir, every, interval, rotateBytes, queueCapacity, zone, syslog, alerts);
    }

    public AuditSettings withRotateBytes(long bytes) {
        return new AuditSettings(dir, checkpointEvery, checkpointInterval, bytes, queueCapacity, zone, syslog, alerts);
    }

    public AuditSettings withQueue(int capacity) {
        return new AuditSettings(dir, checkpointEvery, checkpointInterval, rotateBytes, capacity, zone, syslog, alerts);
    }

    public AuditSettings withSyslog(SyslogSettings s) {
        return new AuditSettings(dir, checkpointEvery, checkpointInterval, rotateBytes, queueCapacity, zone, s, alerts);
    }

    public AuditSettings withAlerts(AlertSettings a) {
        return new AuditSettings(dir, checkpointEvery, checkpointInterval, rotateBytes, queueCapacity, zone, syslog, a);
    }

    /**
     * A copy of every record to a syslog server, RFC 5424 over TCP with octet counting (RFC 6587),
     * or over TLS (RFC 5425).
     *
     * @param trustFile CA certificates (PEM) to trust for TLS; {@code null} = the JDK's
     * @param facility  0..23, default 16 (local0)
     */
    public record SyslogSettings(String host, int port, boolean tls, Path trustFile, String appName, int facility) {
        public SyslogSettings {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("syslog.host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("syslog.port must be 1..65535");
            }
            if (facility < 0 || facility > 23) {
                throw new IllegalArgumentException("syslog.facility must be 0..23 (16 = local0)");
            }
            appName = appName == null || appName.isBlank() ? "mynaguard" : appName;
            if (!appName.chars().allMatch(c -> c > 32 && c < 127) || appName.length() > 48) {
                throw new IllegalArgumentException("syslog.app_name must be up to 48 printable ASCII characters");
            }
        }
    }

    /**
     * Incident alerts: mail to the policy's security team (and {@code mailTo}), and a JSON POST to
     * {@code webhook}.
     *
     * @param mail             whether to mail the security team
     * @param mailTo           further addresses to mail
     * @param webhook          the webhook, or {@code null}
     * @param webhookTokenFile a file whose first line is sent as {@code Authorization: Bearer ...}, or {@code null}
     * @param webhookTimeout   per attempt
     * @param webhookAttempts  attempts in all
     */
    public record AlertSettings(boolean mail, List<String> mailTo, URI webhook, Path webhookTokenFile,
                                Duration webhookTimeout, int webhookAttempts) {
        public static final AlertSettings DEFAULTS = new AlertSettings(true, List.of(), null, null,
                AuditLimits.WEBHOOK_TIMEOUT, AuditLimits.WEBHOOK_ATTEMPTS);

        public AlertSettings {
            mailTo = List.copyOf(mailTo);
            Objects.requireNonNull(webhookTimeout, "webhookTimeout");
            if (webhook != null && !("http".equals(webhook.getScheme()) || "https".equals(webhook.getScheme()))) {
                throw new IllegalArgumentException("alerts.webhook must be an http or https URL");
            }
            if (webhookAttempts < 1 || webhookAttempts > 20) {
                throw new IllegalArgumentException("alerts.webhook_attempts must be 1..20");
            }
        }
    }

    /**
     * Reads the {@code audit:} mapping of gateway.yaml.
     *
     * @param where     e.g. {@code gateway.yaml: audit}, for messages
     * @param base      the directory relative paths are relative to
     * @param durations the gateway's duration syntax (30s, 5m, ...)
     * @throws IllegalArgumentException {@code where.key: problem}
     */
    public static AuditSettings parse(String where, Object raw, Path base, Function<String, Duration> durations) {
        Section s = new Section(where, raw);
        s.allow("dir", "checkpoint_every", "checkpoint_interval", "rotate_bytes", "queue", "timezone", "syslog", "alerts");
        AuditSettings a = DEFAULTS;
        if (s.has("dir")) {
            a = a.withDir(base.resolve(s.string("dir")));
        }
        int every = s.has("checkpoint_every") ? (int) s.number("checkpoint_every", 1, 10_000_000) : a.checkpointEvery();
        Duration interval = s.has("checkpoint_interval") ? s.wrap("checkpoint_interval",
                () -> durations.apply(s.string("checkpoint_interval"))) : a.checkpointInterval();
        a = s.wrap("checkpoint_interval", a::withCheckpoints, every, interval);
        if (s.has("rotate_bytes")) {
            long r = s.number("rotate_bytes", AuditLimits.MIN_ROTATE_BYTES, Long.MAX_VALUE);
            a = a.withRotateBytes(r);
        }
        if (s.has("queue")) {
            a = a.withQueue((int) s.number("queue", 16, 10_000_000));
        }
        if (s.has("timezone")) {
            ZoneId z = s.wrap("timezone", () -> ZoneId.of(s.string("timezone")));
            a = new AuditSettings(a.dir(), a.checkpointEvery(), a.checkpointInterval(), a.rotateBytes(),
                    a.queueCapacity(), z, a.syslog(), a.alerts());
        }
        if (s.has("syslog")) {
            Section y = s.section("syslog");
            y.allow("host", "port", "tls", "trust", "app_name", "facility");
            boolean tls = y.has("tls") && y.bool("tls");
            SyslogSettings sys = y.wrap("", () -> new SyslogSettings(y.string("host"),
                    y.has("port") ? (int) y.number("port", 1, 65535) : tls ? 6514 : 601, tls,
                    y.has("trust") ? base.resolve(y.string("trust")) : null,
                    y.has("app_name") ? y.string("app_name") : null,
                    y.has("facility") ? (int) y.number("facility", 0, 23) : 16));
            a = a.withSyslog(sys);
        }
        if (s.has("alerts")) {
            Section al = s.section("alerts");
            al.allow("mail", "mail_to", "webhook", "webhook_token_file", "webhook_timeout", "webhook_attempts");
            AlertSettings d = AlertSettings.DEFAULTS;
            AlertSettings alerts = al.wrap("", () -> new AlertSettings(
                    al.has("mail") ? al.bool("mail") : d.mail(),
                    al.has("mail_to") ? al.strings("mail_to") : d.mailTo(),
                    al.has("webhook") ? URI.create(al.string("webhook")) : null,
                    al.has("webhook_token_file") ? base.resolve(al.string("webhook_token_file")) : null,
                    al.has("webhook_timeout") ? durations.apply(al.string("webhook_timeout")) : d.webhookTimeout(),
                    al.has("webhook_attempts") ? (int) al.number("webhook_attempts", 1, 20) : d.webhookAttempts()));
            a = a.withAlerts(alerts);
        }
        return a;
    }

    /** One mapping of the file, with its path for messages. */
    private static final class Section {
        private final String where;
        private final Map<?, ?> map;

        Section(String where, Object raw) {
            if (!(raw instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(where + ": expected a mapping (key: value)");
            }
            this.where = where;
            this.map = m;
        }

        void allow(String... keys) {
            Set<String> known = new TreeSet<>(List.of(keys));
            for (Object k : map.keySet()) {
                if (!known.contains(String.valueOf(k))) {
                    throw new IllegalArgumentException(where + "." + k + ": unknown setting (known: "
                            + String.join(", ", known) + ")");
                }
            }
        }

        boolean has(String key) {
            return map.get(key) != null;
        }

        String string(String key) {
            Object v = map.get(key);
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                return String.valueOf(v);
            }
            throw new IllegalArgumentException(where + "." + key + ": expected a value");
        }

        long number(String key, long min, long max) {
            if (!(map.get(key) instanceof Number n) || n instanceof Double || n instanceof Float) {
                throw new IllegalArgumentException(where + "." + key + ": expected a whole number");
            }
            long v = n.longValue();
            if (v < min || v > max) {
                throw new IllegalArgumentException(where + "." + key + ": " + v + " is out of range (" + min + ".." + max + ")");
            }
            return v;
        }

        boolean bool(String key) {
            if (map.get(key) instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException(where + "." + key + ": expected true or false");
        }

        List<String> strings(String key) {
            if (!(map.get(key) instanceof List<?> l)) {
                throw new IllegalArgumentException(where + "." + key + ": expected a list");
            }
            List<String> out = new ArrayList<>();
            l.forEach(o -> out.add(String.valueOf(o)));
            return out;
        }

        Section section(String key) {
            return new Section(where + "." + key, map.get(key));
        }

        <T> T wrap(String key, java.util.function.Supplier<T> f) {
            try {
                return f.get();
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new IllegalArgumentException(where + (key.isEmpty() ? "" : "." + key) + ": " + e.getMessage(), e);
            }
        }

        <A, B, T> T wrap(String key, java.util.function.BiFunction<A, B, T> f, A a, B b) {
            return wrap(key, () -> f.apply(a, b));
        }
    }
}
