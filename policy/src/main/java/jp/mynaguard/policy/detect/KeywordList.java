package jp.mynaguard.policy.detect;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One keyword list of §6.5, normalised (NFKC, lower case) and indexed by first char. A match
 * reports the keyword's index; lower indices win, so the first keyword of the list that occurs
 * is the one named in a finding's reasons.
 *
 * <p>ASCII keywords match whole words only: no {@code [a-z]} right before or after.
 */
final class KeywordList {
    static final int NONE = Integer.MAX_VALUE;
    private static final int[] NO_KEYWORDS = new int[0];

    private final String[] texts;
    private final boolean[] ascii;
    private final boolean[] spaced;
    private final char[] firstChars;
    private final int[][] byFirst;

    KeywordList(List<String> words) {
        this.texts = words.stream().map(KeywordList::normalize).filter(w -> !w.isEmpty()).distinct()
                .toArray(String[]::new);
        this.ascii = new boolean[texts.length];
        this.spaced = new boolean[texts.length];
        char[] firsts = new char[0];
        int[][] groups = new int[0][];
        for (int i = 0; i < texts.length; i++) {
            String w = texts[i];
            ascii[i] = w.chars().allMatch(c -> c < 0x80);
            spaced[i] = w.indexOf(' ') >= 0;
            char first = w.charAt(0);
            int g = new String(firsts).indexOf(first);
            if (g < 0) {
                g = firsts.length;
                firsts = Arrays.copyOf(firsts, g + 1);
                firsts[g] = first;
                groups = Arrays.copyOf(groups, g + 1);
                groups[g] = NO_KEYWORDS;
            }
            groups[g] = Arrays.copyOf(groups[g], groups[g].length + 1);
            groups[g][groups[g].length - 1] = i;
        }
        this.firstChars = firsts;
        this.byFirst = groups;
    }

    static String normalize(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
    }

    String text(int index) {
        return texts[index];
    }

    int size() {
        return texts.length;
    }

    String[] texts() {
        return texts.clone();
    }

    boolean isAscii(int index) {
        return ascii[index];
    }

    boolean hasSpace(int index) {
        return spaced[index];
    }

    char[] firstChars() {
        return firstChars.clone();
    }

    /** Indices of the keywords starting with {@code c}, ascending. */
    int[] startingWith(int c) {
        for (int g = 0; g < firstChars.length; g++) {
            if (firstChars[g] == c) {
                return byFirst[g];
            }
        }
        return NO_KEYWORDS;
    }

    /**
     * The reference's test: in {@code seg} and, if asked, in {@code seg} with spaces removed.
     * Returns the lowest matching index or {@link #NONE}.
     */
    int firstIn(String seg, boolean squeezedToo) {
        String squeezed = squeezedToo ? seg.replace(" ", "") : null;
        for (int i = 0; i < texts.length; i++) {
            if (contains(seg, i) || squeezed != null && contains(squeezed, i)) {
                return i;
            }
        }
        return NONE;
    }

    private boolean contains(String hay, int k) {
        String word = texts[k];
        if (hay.indexOf(word.charAt(0)) < 0) {
            return false;
        }
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

    static boolean isLower(int c) {
        return c >= 'a' && c <= 'z';
    }
}
