package jp.mynaguard.proxy.hold;

/**
 * Masks digit runs that could be a My Number (12 digits) or a Corporate Number (13) in the
 * store's searchable plain-text columns and in listings: sender, rule, findings summary. An
 * address such as {@code NNNN-NNNN-NNNN@example.com} is exactly how someone would try to
 * smuggle a number past a content scanner, and those columns are not encrypted.
 *
 * <p>A run is ASCII or full-width digits, optionally separated by single spaces, hyphens or
 * their full-width and dash-like variants; runs of 12 or more digits become {@code *}s with
 * the separators kept. Shorter runs (dates, phone extensions) stay readable.
 */
public final class MetadataMask {
    static final int MIN_DIGITS = 12;

    private MetadataMask() {
    }

    public static String mask(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        StringBuilder out = null;
        int i = 0;
        while (i < s.length()) {
            if (!isDigit(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            int end = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (isDigit(c)) {
                    digits++;
                    i++;
                    end = i;
                } else if (isSeparator(c) && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
                    i++;
                } else {
                    break;
                }
            }
            if (digits >= MIN_DIGITS) {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                for (int k = start; k < end; k++) {
                    if (isDigit(s.charAt(k))) {
                        out.setCharAt(k, '*');
                    }
                }
            }
            i = Math.max(i, end);
        }
        return out == null ? s : out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9' || c >= '０' && c <= '９';
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '\u3000' || c == '－' || c == '‐' || c == '‑' || c == '–' || c == '—'
                || c == '−' || c == 'ー' || c == 'ｰ';
    }
}
