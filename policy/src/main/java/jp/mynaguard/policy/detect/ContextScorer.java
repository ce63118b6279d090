package jp.mynaguard.policy.detect;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keyword context of §6.5, run only for candidates that passed their check digit.
 *
 * <p>The reference normalises each window with NFKC (so that {@code ﾊﾞ} composes to {@code バ})
 * and searches it, and its copy with spaces removed, for every keyword. The windows here are
 * already folded per char, so that only changes anything when a window holds a combining mark;
 * otherwise keywords are matched in place, starting only at chars that begin some keyword.
 *
 * <p>ASCII keywords match whole words only ({@code ean} must not hit {@code mean}); a negative
 * word inside a positive keyword ({@code マイナンバーカード番号}) does not count.
 */
final class ContextScorer {
    private static final String MASK = "\u0001";

    private final Keywords myNumber;
    private final Keywords corporate;
    private final Keywords negative;
    /** All positive keywords, longest first (masked out before looking for negative words). */
    private final String[] positives;
    private final int positiveWindow;
    private final int negativeWindow;

    ContextScorer(DetectorConfig config) {
        this.myNumber = new Keywords(config.myNumberKeywords());
        this.corporate = new Keywords(config.corporateKeywords());
        this.negative = new Keywords(config.negativeWords());
        List<String> all = new ArrayList<>(Arrays.asList(myNumber.texts));
        all.addAll(Arrays.asList(corporate.texts));
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

    /**
     * A positive keyword (My Number or Corporate list) in the windows before and after a
     * candidate, or {@code null}. Also matches with spaces removed ({@code マイ ナンバー}).
     */
    String positive(KeywordWindow before, KeywordWindow after, boolean forMyNumber) {
        Keywords words = forMyNumber ? myNumber : corporate;
        if (before.composing() || after.composing()) {
            String seg = Normalizer.normalize(before.tail(positiveWindow) + '\0' + after.head(positiveWindow),
                    Normalizer.Form.NFKC);
            return words.firstIn(seg, true);
        }
        int nb = before.size();
        String hit = words.firstIn(before.codePoints(), Math.max(0, nb - positiveWindow), nb);
        return hit != null ? hit : words.firstIn(after.codePoints(), 0, Math.min(positiveWindow, after.size()));
    }

    /** A negative word within the window before the candidate, on its own line. */
    boolean negative(KeywordWindow before) {
        int end = before.size();
        int from = Math.max(before.lastLineStart(), end - negativeWindow);
        if (from == end || !negative.anyFirstChar(before.codePoints(), from, end)) {
            return false;
        }
        String seg = new String(before.codePoints(), from, end - from);
        if (before.composing()) {
            seg = Normalizer.normalize(seg, Normalizer.Form.NFKC);
        }
        for (String p : positives) {
            if (seg.contains(p)) {
                seg = seg.replace(p, MASK);
            }
        }
        return negative.firstIn(seg, false) != null;
    }

    /** The first positive keyword in a table header cell, or {@code null}. */
    String header(String cell, boolean forMyNumber) {
        if (cell == null || cell.isEmpty()) {
            return null;
        }
        return (forMyNumber ? myNumber : corporate).firstIn(normalize(cell), true);
    }

    private static boolean isLower(int c) {
        return c >= 'a' && c <= 'z';
    }

    /** One keyword list, normalised, with an index by first char. */
    private static final class Keywords {
        final String[] texts;
        final boolean[] ascii;
        final boolean[] spaced;
        final long[] firstChars = new long[1024];
        final Map<Integer, int[]> byFirst = new HashMap<>();

        Keywords(List<String> words) {
            this.texts = words.stream().map(ContextScorer::normalize).filter(w -> !w.isEmpty()).distinct()
                    .toArray(String[]::new);
            this.ascii = new boolean[texts.length];
            this.spaced = new boolean[texts.length];
            for (int i = 0; i < texts.length; i++) {
                String w = texts[i];
                ascii[i] = w.chars().allMatch(c -> c < 0x80);
                spaced[i] = w.indexOf(' ') >= 0;
                int first = w.charAt(0);
                firstChars[first >>> 6] |= 1L << first;
                int[] old = byFirst.getOrDefault(first, new int[0]);
                int[] grown = Arrays.copyOf(old, old.length + 1);
                grown[old.length] = i;
                byFirst.put(first, grown);
            }
        }

        boolean isFirst(int cp) {
            return cp < 0x10000 && (firstChars[cp >>> 6] & 1L << cp) != 0;
        }

        boolean anyFirstChar(int[] w, int from, int to) {
            for (int i = from; i < to; i++) {
                if (isFirst(w[i])) {
                    return true;
                }
            }
            return false;
        }

        /** String search, as the reference: in {@code seg} and, if asked, in {@code seg} without spaces. */
        String firstIn(String seg, boolean squeezedToo) {
            String squeezed = squeezedToo ? seg.replace(" ", "") : null;
            for (int i = 0; i < texts.length; i++) {
                if (contains(seg, i) || squeezed != null && contains(squeezed, i)) {
                    return texts[i];
                }
            }
            return null;
        }

        private boolean contains(String hay, int k) {
            String word = texts[k];
            if (!ascii[k]) {
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

        /** In-place search of folded code points {@code w[from, to)}, plain and with spaces skipped. */
        String firstIn(int[] w, int from, int to) {
            for (int p = from; p < to; p++) {
                int cp = w[p];
                if (cp == ' ' || !isFirst(cp)) {
                    continue;
                }
                for (int k : byFirst.get(cp)) {
                    if (matches(w, from, to, p, k, false) || !spaced[k] && matches(w, from, to, p, k, true)) {
                        return texts[k];
                    }
                }
            }
            return null;
        }

        private boolean matches(int[] w, int from, int to, int p, int k, boolean skipSpaces) {
            String word = texts[k];
            int q = p;
            for (int i = 0; i < word.length(); i++) {
                if (skipSpaces) {
                    while (q < to && w[q] == ' ') {
                        q++;
                    }
                }
                if (q >= to || w[q] != word.charAt(i)) {
                    return false;
                }
                q++;
            }
            if (!ascii[k]) {
                return true;
            }
            int before = p - 1;
            int after = q;
            if (skipSpaces) {
                while (before >= from && w[before] == ' ') {
                    before--;
                }
                while (after < to && w[after] == ' ') {
                    after++;
                }
            }
            return (before < from || !isLower(w[before])) && (after >= to || !isLower(w[after]));
        }
    }
}
