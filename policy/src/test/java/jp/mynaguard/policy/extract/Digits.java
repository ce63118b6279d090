package jp.mynaguard.policy.extract;

import java.util.LinkedHashSet;
import java.util.Set;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * Test helpers on extracted text: whether a number is there in some written form (full-width
 * digits folded, separators stripped per line), where it was found, and synthetic My Numbers
 * with a valid check digit.
 */
final class Digits {
    private Digits() {
    }

    /** The digits of one line, full-width folded to ASCII, everything else dropped. */
    static String digitsOf(String line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            } else if (c >= '０' && c <= '９') {
                sb.append((char) ('0' + (c - '０')));
            }
        }
        return sb.toString();
    }

    static boolean textContains(CharSequence text, String number) {
        for (String line : text.toString().split("\n", -1)) {
            if (digitsOf(line).contains(number)) {
                return true;
            }
        }
        return false;
    }

    static boolean contains(RecordingSink sink, String number) {
        return !locations(sink, number).isEmpty();
    }

    /** Locations of the segments in which {@code number} is written. */
    static Set<String> locations(RecordingSink sink, String number) {
        Set<String> out = new LinkedHashSet<>();
        for (TextSegment s : sink.segments) {
            if (textContains(s.text(), number)) {
                out.add(s.location());
            }
        }
        return out;
    }

    /** Located lines ({@link TextSegment#locate}) of the lines holding {@code number}. */
    static Set<String> lineLocations(RecordingSink sink, String number) {
        Set<String> out = new LinkedHashSet<>();
        for (TextSegment s : sink.segments) {
            String[] lines = s.text().toString().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (digitsOf(lines[i]).contains(number)) {
                    out.add(s.locate(s.firstLine() + i, -1));
                }
            }
        }
        return out;
    }

    /** A synthetic My Number: the 11 base digits and their check digit (formula in the corpus README). */
    static String myNumber(String base11) {
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = base11.charAt(11 - n) - '0';
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        int r = sum % 11;
        return base11 + (r <= 1 ? 0 : 11 - r);
    }

    /** Full-width digits of an ASCII digit string. */
    static String fullWidth(String digits) {
        StringBuilder sb = new StringBuilder();
        for (char c : digits.toCharArray()) {
            sb.append((char) ('０' + (c - '0')));
        }
        return sb.toString();
    }
}
