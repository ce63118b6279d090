package jp.mynaguard.proxy.ops;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How the gateway logs: {@code text} (one human-readable line per event, the default) or
 * {@code json} (one JSON object per line, for log shippers); the level; and a file instead of
 * standard error. Whatever the format, no log line ever holds a number's digits: that is the
 * callers' rule ({@code NumberGuard}), checked by {@code NoDigitsEverTest}.
 *
 * @param file {@code null} = standard error (what systemd's journal and {@code docker logs} read)
 */
public record LogSettings(Format format, Level level, Path file) {
    public static final LogSettings DEFAULTS = new LogSettings(Format.TEXT, Level.INFO, null);

    public enum Format {
        TEXT, JSON;

        /** {@code text} or {@code json}, case-insensitive. */
        public static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("log format must be text or json, not '" + s + "'");
            }
        }
    }

    public enum Level {
        ERROR, WARN, INFO, DEBUG, TRACE;

        public static Level parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("log level must be error, warn, info, debug or trace, not '" + s + "'");
            }
        }
    }

    public LogSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(level, "level");
    }

    public LogSettings withFormat(Format f) {
        return new LogSettings(f, level, file);
    }

    public LogSettings withLevel(Level l) {
        return new LogSettings(format, l, file);
    }

    public LogSettings withFile(Path f) {
        return new LogSettings(format, level, f);
    }
}
