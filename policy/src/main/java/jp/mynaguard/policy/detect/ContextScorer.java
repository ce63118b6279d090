package jp.mynaguard.policy.detect;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Keyword context of §6.5. Runs only for candidates that passed their check digit, so it may
 * build strings and normalise (NFKC composes {@code ﾊﾞ} to {@code バ} across chars).
 *
 * <p>ASCII keywords match whole words only ({@code ean} must not hit {@code mean}); a negative
 * word inside a positive keyword ({@code マイナンバーカード番号}) does not count.
 */
final class ContextScorer {
    private static final char MASK = '\u0001';

    private final String[] myNumber;
    private final String[] corporate;
    private final String[] negative;
    /** All positive keywords, longest first (masked out before looking for negative words). */
    private final String[] positives;
    private final int positiveWindow;
    private final int negativeWindow;

    ContextScorer(DetectorConfig config) {
        this.myNumber = normalizeAll(config.myNumberKeywords());
        this.corporate = normalizeAll(config.corporateKeywords());
        this.negative = normalizeAll(config.negativeWords());
        List<String> all = new ArrayList<>(Arrays.asList(myNumber));
        all.addAll(Arrays.asList(corporate));
        all.sort(Comparator.comparingInt(String::length).reversed()); // stable, as the reference
        this.positives = all.toArray(new String[0]);
        this.positiveWindow = config.positiveWindow();
        this.negativeWindow = config.negativeWindow();
    }

    int positiveWindow() {
        return positiveWindow;
    }

    int negativeWindow() {
        return negativeWindow;
    }

    static String normalize(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    private static String[] normalizeAll(List<String> words) {
        return words.stream().map(ContextScorer::normalize).filter(w -> !w.isEmpty()).distinct()
                .toArray(String[]::new);
    }

    /**
     * The first positive keyword (My Number or Corporate list) within the windows around a
     * candidate, or {@code null}. Also matches with spaces removed ({@code マイ ナンバー}).
     */
    String positive(KeywordWindow before, KeywordWindow after, boolean forMyNumber) {
        String seg = Normalizer.normalize(before.tail(positiveWindow) + '\0' + after.head(positiveWindow),
                Normalizer.Form.NFKC);
        String squeezed = seg.replace(" ", "");
        for (String w : forMyNumber ? myNumber : corporate) {
            if (contains(seg, w) || contains(squeezed, w)) {
                return w;
            }
        }
        return null;
    }

    /** A negative word within the window before the candidate, on its own line. */
    boolean negative(KeywordWindow before) {
        String pre = before.tail(negativeWindow);
        pre = pre.substring(pre.lastIndexOf('\n') + 1);
        if (pre.isEmpty()) {
            return false;
        }
        String seg = Normalizer.normalize(pre, Normalizer.Form.NFKC);
        for (String p : positives) {
            if (seg.contains(p)) {
                seg = seg.replace(p, String.valueOf(MASK));
            }
        }
        for (String w : negative) {
            if (contains(seg, w)) {
                return true;
            }
        }
        return false;
    }

    /** The first positive keyword in a table header cell, or {@code null}. */
    String header(String cell, boolean forMyNumber) {
        if (cell == null || cell.isEmpty()) {
            return null;
        }
        String seg = normalize(cell);
        String squeezed = seg.replace(" ", "");
        for (String w : forMyNumber ? myNumber : corporate) {
            if (contains(seg, w) || contains(squeezed, w)) {
                return w;
            }
        }
        return null;
    }

    /** Substring test; ASCII words must not touch {@code [a-z]} on either side. */
    static boolean contains(String hay, String word) {
        if (!isAscii(word)) {
            return hay.contains(word);
        }
        for (int i = hay.indexOf(word); i >= 0; i = hay.indexOf(word, i + 1)) {
            int j = i + word.length();
            if ((i == 0 || !isLower(hay.charAt(i - 1))) && (j == hay.length() || !isLower(hay.charAt(j)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
