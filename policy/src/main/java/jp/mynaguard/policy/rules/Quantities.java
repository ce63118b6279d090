package jp.mynaguard.policy.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code 30m}, {@code 2h}, {@code 3d}, {@code 3 days}, {@code 1w}) and sizes
 * ({@code 512KB}, {@code 10 MB}; KB, MB and GB are 1024-based as in mail clients). A bad value
 * throws {@link IllegalArgumentException} with a message for the admin.
 */
final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile("\\s*(\\d{1,9})\\s*([A-Za-z]*)\\s*");
    private static final Map<String, Duration> TIME_UNITS = new LinkedHashMap<>();
    private static final Map<String, Long> SIZE_UNITS = new LinkedHashMap<>();

    static {
        for (String s : new String[] {"s", "sec", "second", "seconds"}) {
            TIME_UNITS.put(s, Duration.ofSeconds(1));
        }
        for (String s : new String[] {"m", "min", "minute", "minutes"}) {
            TIME_UNITS.put(s, Duration.ofMinutes(1));
        }
        for (String s : new String[] {"h", "hour", "hours"}) {
            TIME_UNITS.put(s, Duration.ofHours(1));
        }
        for (String s : new String[] {"d", "day", "days"}) {
            TIME_UNITS.put(s, Duration.ofDays(1));
        }
        for (String s : new String[] {"w", "week", "weeks"}) {
            TIME_UNITS.put(s, Duration.ofDays(7));
        }
        SIZE_UNITS.put("b", 1L);
        SIZE_UNITS.put("kb", 1024L);
        SIZE_UNITS.put("kib", 1024L);
        SIZE_UNITS.put("mb", 1024L * 1024);
        SIZE_UNITS.put("mib", 1024L * 1024);
        SIZE_UNITS.put("gb", 1024L * 1024 * 1024);
        SIZE_UNITS.put("gib", 1024L * 1024 * 1024);
    }

    private Quantities() {
    }

    static Duration duration(String text) {
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches() || m.group(2).isEmpty()) {
            throw new IllegalArgumentException("bad duration '" + NumberGuard.redact(text)
                    + "': expected a number and a unit (s, m, h, d, w), e.g. 30m, 2h, 3d");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        Duration per = TIME_UNITS.get(unit);
        if (per == null) {
            throw new IllegalArgumentException("bad duration '" + NumberGuard.redact(text) + "': unknown unit '" + m.group(2) + "'"
                    + Suggestions.didYouMean(unit, TIME_UNITS.keySet()) + "; use s, m, h, d or w, e.g. 3d");
        }
        return per.multipliedBy(Long.parseLong(m.group(1)));
    }

    static long size(String text) {
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size '" + NumberGuard.redact(text) + "': expected a number and a unit, e.g. 10MB");
        }
        String unit = m.group(2).isEmpty() ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        Long per = SIZE_UNITS.get(unit);
        if (per == null) {
            throw new IllegalArgumentException("bad size '" + NumberGuard.redact(text) + "': unknown unit '" + m.group(2) + "'"
                    + Suggestions.didYouMean(unit, SIZE_UNITS.keySet()) + "; use B, KB, MB or GB");
        }
        return Long.parseLong(m.group(1)) * per;
    }
}
