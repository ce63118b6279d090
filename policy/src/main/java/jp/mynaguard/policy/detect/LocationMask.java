package jp.mynaguard.policy.detect;

/**
 * Masks number-like digit runs in location strings. Locations carry file names
 * (an attachment named after a number) and form field values, and they go to logs, the audit
 * trail and the console, so a stretch of digits and separators holding eight or more digits has
 * its digits replaced by {@code *}. Short runs stay readable: {@code Sheet1!C7}, {@code line 12},
 * {@code page 3}.
 */
public final class LocationMask {
    /** Fewer digits than this in one stretch cannot be (most of) a My Number or Corporate Number. */
    static final int MIN_DIGITS_TO_MASK = 8;

    private LocationMask() {
    }

    public static String mask(String location) {
        int n = location.length();
        int i = 0;
        while (i < n && !isDigit(location.charAt(i))) {
            i++;
        }
        if (i == n) {
            return location;
        }
        StringBuilder out = null;
        while (i < n) {
            if (!isDigit(location.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            int end = i;
            while (i < n && (isDigit(location.charAt(i)) || isSeparator(location.charAt(i)))) {
                if (isDigit(location.charAt(i))) {
                    digits++;
                    end = i + 1;
                }
                i++;
            }
            if (digits >= MIN_DIGITS_TO_MASK) {
                if (out == null) {
                    out = new StringBuilder(location);
                }
                for (int k = start; k < end; k++) {
                    if (isDigit(location.charAt(k))) {
                        out.setCharAt(k, '*');
                    }
                }
            }
            i = Math.max(i, end);
        }
        return out == null ? location : out.toString();
    }

    private static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= '\uff10' && c <= '\uff19');
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '_' || c == '\u3000' || c == '\uff0d' || c == '\u2212'
                || c == '\u30fc' || c == '\u2010' || c == '\u2013' || c == '\u00a0';
    }
}
