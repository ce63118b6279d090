package jp.mynaguard.proxy.ops;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds labelled My Numbers in text in every way they can be written: half-width or full-width
 * digits (mixed too), with nothing, a space, a hyphen, a dot or a full-width/typographic variant
 * of those between any two digits (the 4-4-4 layouts and every other grouping). One pass over the
 * text: runs of digits joined by single separators are folded to ASCII digits and every 12-digit
 * window is looked up, so all widths and separators are covered at once, in megabytes of log.
 */
final class NumberForms {
    /** What may stand between two digits of a written number (one character at a time). */
    static final String SEPARATORS = " -.\u00A0\u3000\uFF0D\uFF0E\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30FC\uFF70\u2043\uFE63";

    private final Set<String> numbers;

    NumberForms(Collection<String> numbers) {
        this.numbers = Set.copyOf(numbers);
        for (String n : this.numbers) {
            if (!n.matches("\\d{12}")) {
                throw new IllegalArgumentException("not a normalised 12-digit label");
            }
        }
    }

    /** The labelled numbers written somewhere in {@code text}. */
    Set<String> foundIn(CharSequence text) {
        Set<String> found = new LinkedHashSet<>();
        StringBuilder run = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int d = digit(c);
            if (d >= 0) {
                run.append((char) ('0' + d));
                continue;
            }
            boolean joins = run.length() > 0 && SEPARATORS.indexOf(c) >= 0 && i + 1 < n && digit(text.charAt(i + 1)) >= 0;
            if (!joins) {
                check(run, found);
                run.setLength(0);
            }
        }
        check(run, found);
        return found;
    }

    private void check(StringBuilder run, Set<String> found) {
        for (int i = 0; i + 12 <= run.length(); i++) {
            String window = run.substring(i, i + 12);
            if (numbers.contains(window)) {
                found.add(window);
            }
        }
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= '\uFF10' && c <= '\uFF19') {
            return c - '\uFF10';
        }
        return -1;
    }

    /** {@code number} written 4-4-4 in full-width digits with {@code separator} (for the self-check). */
    static String fullWidth(String number, String separator) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < number.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append(separator);
            }
            sb.append((char) ('\uFF10' + (number.charAt(i) - '0')));
        }
        return sb.toString();
    }
}
