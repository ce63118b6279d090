package jp.mynaguard.proxy.gateway;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations as admins write them: {@code 300ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO {@code PT5M}. */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String s) {
        String t = s.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                case 'd':
                    return Duration.ofDays(n);
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a duration: '" + s + "' (e.g. 30s, 5m, 300ms)", e);
        }
        throw new IllegalArgumentException("not a duration: '" + s + "' (e.g. 30s, 5m, 300ms)");
    }
}
