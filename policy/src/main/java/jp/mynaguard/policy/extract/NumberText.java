package jp.mynaguard.policy.extract;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The text of a spreadsheet numeric cell, exact: from the stored decimal string, never through
 * a double, so a {@code <v>} of {@code d.dddddddddddE11} becomes its 12 exact digits and not
 * {@code 1.23457E+11} (how Excel's General format shows it, which hides the number).
 *
 * <p>A number format made only of digit placeholders and literals (e.g. twelve {@code 0} placeholders
 * in groups of four) is applied, because that is what the reader of the sheet sees. An
 * integral value of exactly 11 digits in any other format is left-padded to 12: a 12-digit
 * number whose leading zero Excel dropped (shape S5); the caller records it as padded so the
 * detector can weigh it accordingly.
 */
final class NumberText {
    /** Exponents beyond this are not expanded (a hostile {@code 1E999999999} must not become a gigabyte). */
    private static final int MAX_SCALE = 400;

    private NumberText() {
    }

    record Rendered(String text, boolean padded) {
    }

    /** The number in a cell's stored value, or {@code null} when it is not one (or absurdly large). */
    static BigDecimal parse(String stored) {
        if (stored == null) {
            return null;
        }
        String s = stored.trim();
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(s);
            return Math.abs((long) v.scale()) > MAX_SCALE ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Renders a value in a cell whose number format is {@code formatCode} ({@code null}: General). */
    static Rendered render(BigDecimal value, String formatCode) {
        BigDecimal v = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (v.scale() > 0) {
            return new Rendered(v.toPlainString(), false);
        }
        BigInteger integral = v.toBigIntegerExact();
        String digits = integral.toString();
        if (integral.signum() < 0) {
            return new Rendered(digits, false);
        }
        String shown = applyDigitPattern(digits, formatCode);
        if (shown != null && !shown.equals(digits)) {
            return new Rendered(shown, false);
        }
        if (digits.length() == 11) {
            return new Rendered("0" + digits, true);
        }
        return new Rendered(digits, false);
    }

    /**
     * Formats non-negative integer digits with a format of digit placeholders ({@code 0 # ?})
     * and literals (quoted text, {@code \x}, {@code - ( ) + : / space}); {@code null} for any
     * other format (General, dates, decimals, grouping, text), which the caller writes as plain
     * digits.
     */
    static String applyDigitPattern(String digits, String formatCode) {
        if (formatCode == null) {
            return null;
        }
        StringBuilder tokens = new StringBuilder();
        // Placeholders are kept as themselves; each literal char is escaped with \u0001.
        int placeholders = 0;
        boolean quoted = false;
        for (int i = 0; i < formatCode.length(); i++) {
            char ch = formatCode.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    quoted = false;
                } else {
                    tokens.append('\u0001').append(ch);
                }
                continue;
            }
            switch (ch) {
                case ';':
                    i = formatCode.length(); // only the first (positive) section matters here
                    break;
                case '"':
                    quoted = true;
                    break;
                case '\\':
                    if (++i < formatCode.length()) {
                        tokens.append('\u0001').append(formatCode.charAt(i));
                    }
                    break;
                case '_':
                    i++;
                    tokens.append('\u0001').append(' ');
                    break;
                case '[': {
                    // [Red], [>100], [$-411]: colours, conditions and locales do not change digits.
                    int close = formatCode.indexOf(']', i);
                    if (close < 0) {
                        return null;
                    }
                    i = close;
                    break;
                }
                case '0': case '#': case '?':
                    tokens.append(ch);
                    placeholders++;
                    break;
                case '-': case '(': case ')': case '+': case ':': case '/': case ' ':
                    tokens.append('\u0001').append(ch);
                    break;
                default:
                    return null;
            }
        }
        if (placeholders == 0) {
            return null;
        }
        StringBuilder out = new StringBuilder(digits.length() + tokens.length());
        int d = digits.length() - 1;
        int seen = 0;
        for (int i = tokens.length() - 1; i >= 0; i--) {
            char t = tokens.charAt(i);
            if (i > 0 && tokens.charAt(i - 1) == '\u0001') {
                out.append(t);
                i--;
                continue;
            }
            seen++;
            if (seen == placeholders) {
                // The leftmost placeholder takes every digit left over, as in Excel.
                if (d >= 0) {
                    for (; d >= 0; d--) {
                        out.append(digits.charAt(d));
                    }
                } else if (t == '0') {
                    out.append('0');
                } else if (t == '?') {
                    out.append(' ');
                }
            } else if (d >= 0) {
                out.append(digits.charAt(d--));
            } else if (t == '0') {
                out.append('0');
            } else if (t == '?') {
                out.append(' ');
            }
        }
        return out.reverse().toString();
    }
}
