package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A filter over audit records: time window, user, rule, action, reference id, type, channel.
 * Text filters ignore case; {@code type} also matches by prefix ({@code policy} finds
 * {@code policy.reload}). A user matches the {@code user} field or the {@code sender}.
 */
public record AuditQuery(Instant from, Instant to, String user, String rule, String action, String ref, String type,
                         String channel) {
    public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null, null, null);

    /** One record read from the files, with where it stands. */
    public record Found(Path file, long line, byte[] bytes, Map<String, Object> record) {
        public Instant time() {
            return AuditQuery.time(record);
        }

        public String text(String field) {
            Object v = record.get(field);
            return v == null ? null : String.valueOf(v);
        }
    }

    static Instant time(Map<String, Object> r) {
        try {
            return r.get("time") instanceof String s ? Instant.parse(s) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public boolean matches(Map<String, Object> r) {
        Instant t = time(r);
        if (from != null && (t == null || t.isBefore(from))) {
            return false;
        }
        if (to != null && (t == null || t.isAfter(to))) {
            return false;
        }
        if (type != null) {
            String ty = String.valueOf(r.get("type")).toLowerCase(Locale.ROOT);
            String want = type.toLowerCase(Locale.ROOT);
            if (!(ty.equals(want) || ty.startsWith(want + "."))) {
                return false;
            }
        }
        return same(user, r.get("user"), r.get("sender")) && same(rule, r.get("rule"), r.get("auditRule"))
                && same(action, r.get("action"), null) && same(ref, r.get("ref"), null)
                && same(channel, r.get("channel"), null);
    }

    private static boolean same(String want, Object a, Object b) {
        if (want == null) {
            return true;
        }
        return equalsFolded(want, a) || equalsFolded(want, b);
    }

    private static boolean equalsFolded(String want, Object v) {
        if (v instanceof Collection<?> c) {
            return c.stream().anyMatch(o -> equalsFolded(want, o));
        }
        return v != null && want.equalsIgnoreCase(String.valueOf(v));
    }

    /**
     * Calls {@code out} for every matching record of the files, in order; lines that are not
     * records are counted, not fatal (search is no verifier: {@code audit verify} is).
     *
     * @return the number of lines that could not be read
     */
    public long scan(List<Path> files, Consumer<Found> out) throws IOException {
        long unreadable = 0;
        try (AuditLines lines = new AuditLines(files)) {
            while (lines.hasNext()) {
                AuditLines.Line l = lines.next();
                if (l.record() == null) {
                    unreadable++;
                } else if (matches(l.record())) {
                    out.accept(new Found(l.file(), l.number(), l.bytes(), l.record()));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return unreadable;
    }
}
