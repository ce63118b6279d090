package jp.mynaguard.bench;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a first attempt looks like: decode, one regex over the whole text, fold the digits of each
 * match into a new String, check the digit. The yardstick the detector must beat by 10×.
 */
final class NaiveBaseline {
    private static final Pattern CANDIDATE = Pattern.compile(
            "(?<![0-9０-９])([0-9０-９]{4})[-\\s　－ー]?([0-9０-９]{4})[-\\s　－ー]?([0-9０-９]{4})(?![0-9０-９])");

    private NaiveBaseline() {
    }

    static int count(byte[] utf8) {
        String text = new String(utf8, StandardCharsets.UTF_8);
        Matcher m = CANDIDATE.matcher(text);
        int found = 0;
        while (m.find()) {
            String digits = fold(m.group(1) + m.group(2) + m.group(3));
            if (valid(digits)) {
                found++;
            }
        }
        return found;
    }

    private static String fold(String s) {
        StringBuilder sb = new StringBuilder(12);
        for (char c : s.toCharArray()) {
            sb.append(c >= '０' && c <= '９' ? (char) ('0' + (c - '０')) : c);
        }
        return sb.toString();
    }

    private static boolean valid(String d) {
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = d.charAt(11 - n) - '0';
            sum += p * (n <= 6 ? n + 1 : n - 5);
        }
        int r = sum % 11;
        return d.charAt(11) - '0' == (r <= 1 ? 0 : 11 - r);
    }
}
