package jp.mynaguard.policy.rules;

/**
 * Keeps My Numbers out of policy files and out of the loader's messages. A policy is copied,
 * versioned, mailed around and pasted into tickets; a real number written into it (even in a
 * comment, even "just to allow-list it") would leak it to everyone who handles the file.
 */
public final class NumberGuard {
    /** Digits in a run (separators allowed between them) from which text counts as a number. */
    static final int NUMBER_DIGITS = 12;

    private NumberGuard() {
    }

    /**
     * Reports every line holding a run of 12 or more digits (half- or full-width, optionally
     * grouped by spaces, hyphens or dots, like {@code NNNN-NNNN-NNNN}).
     */
    static void check(String label, String text, Diagnostics out) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                continue;
            }
            if (Character.isDigit(c) && (i == 0 || !continuesRun(text, i))) {
                int end = runEnd(text, i);
                if (countDigits(text, i, end) >= NUMBER_DIGITS) {
                    out.error(new Location(label, line, i - lineStart + 1), "a number of "
                            + NUMBER_DIGITS + " or more digits is written here; a policy file must never hold a"
                            + " My Number, not even in a comment. To allow-list dummy numbers, write a shape that"
                            + " fixes at most " + PolicyLimits.MAX_SHAPE_FIXED_DIGITS + " digits, e.g. 9999********");
                }
                i = end - 1;
            }
        }
    }

    /** Whether the text looks like it holds a number that must not be repeated. */
    public static boolean holdsNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                int end = runEnd(s, i);
                if (countDigits(s, i, end) >= NUMBER_DIGITS) {
                    return true;
                }
                i = end - 1;
            }
        }
        return false;
    }

    /**
     * The text, with every digit replaced by {@code *} if it holds a number: for anything taken
     * from a message (file names, addresses, locations) before it is printed or logged.
     */
    public static String redact(String s) {
        if (s == null || !holdsNumber(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isDigit(c) ? '*' : c);
        }
        return sb.toString();
    }

    private static boolean continuesRun(String s, int i) {
        char prev = s.charAt(i - 1);
        return Character.isDigit(prev) || isSeparator(prev) && i >= 2 && Character.isDigit(s.charAt(i - 2));
    }

    /** End (exclusive) of a run of digits with single separators between them. */
    private static int runEnd(String s, int start) {
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isDigit(c)) {
                i++;
            } else if (isSeparator(c) && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                i += 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static int countDigits(String s, int start, int end) {
        int n = 0;
        for (int i = start; i < end; i++) {
            if (Character.isDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '\u3000' || c == '\uFF0D' || c == '\u2212'
                || c == '\u2010' || c == '\u2013' || c == '\u30FC';
    }
}
