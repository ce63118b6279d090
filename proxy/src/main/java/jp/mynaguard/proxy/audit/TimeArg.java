package jp.mynaguard.proxy.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Times as people type them on the command line: {@code 2025-04-01} (that day in the gateway's
 * zone), {@code 2025-04-01T09:30}, {@code 2025-04-01T09:30:00+09:00}, {@code 2025-04-01T00:30:00Z},
 * or an age: {@code 7d}, {@code 24h}, {@code 30m} before now.
 */
public final class TimeArg {
    private TimeArg() {
    }

    /**
     * @param endOfDay for a bare date: its end (an inclusive "to"), else its start
     * @throws IllegalArgumentException with an example of what is accepted
     */
    public static Instant parse(String s, ZoneId zone, Clock clock, boolean endOfDay) {
        String t = s.trim();
        try {
            if (t.matches("\\d+[dhm]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration d = switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
                return clock.instant().minus(d);
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate day = LocalDate.parse(t);
                return endOfDay ? day.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1)
                        : day.atStartOfDay(zone).toInstant();
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(t).toInstant();
            }
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("not a time: '" + s
                    + "' (e.g. 2025-04-01, 2025-04-01T09:30, 2025-04-01T00:30:00Z, 7d, 24h)", e);
        }
    }
}
