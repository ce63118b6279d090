package jp.mynaguard.policy.detect;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Keyword context of §6.5, asked only for candidates that passed their check digit.
 *
 * <p>{@link FastContext} answers straight from the original text for the usual window; the
 * exact model here (windows folded per char, then NFKC over the window as the reference does, so
 * that {@code ﾊﾞ} composes to {@code バ}) takes over when a window holds a combining mark or a
 * surrogate pair, and for negative words when a positive keyword may have to be masked first.
 *
 * <p>A negative word inside a positive keyword ({@code マイナンバーカード番号}) does not count.
 */
final class ContextScorer {
    private static final String MASK = "\u0001";

    private final KeywordList myNumber;
    private final KeywordList corporate;
    private final KeywordList negative;
    /** All positive keywords, longest first (masked out before looking for negative words). */
    private final String[] positives;
    private final int positiveWindow;
    private final int negativeWindow;
    private final FastContext fast;

    ContextScorer(DetectorConfig config) {
        this.myNumber = new KeywordList(config.myNumberKeywords());
        this.corporate = new KeywordList(config.corporateKeywords());
        this.negative = new KeywordList(config.negativeWords());
        List<String> all = new ArrayList<>(Arrays.asList(myNumber.texts()));
        all.addAll(Arrays.asList(corporate.texts()));
        all.sort(Comparator.comparingInt(String::length).reversed()); // stable, as the reference
        this.positives = all.toArray(new String[0]);
        this.positiveWindow = config.positiveWindow();
        this.negativeWindow = config.negativeWindow();
        this.fast = new FastContext(myNumber, corporate, negative);
    }

    int positiveWindow() {
        return positiveWindow;
    }

    int negativeWindow() {
        return negativeWindow;
    }

    /**
     * The positive keyword (My Number or Corporate list) within the windows around the candidate
     * {@code a[start, end)}, or {@code null}. Also matches with spaces removed ({@code マイ ナンバー}).
     */
    String positive(char[] a, int start, int end, boolean forMyNumber, Scratch scratch) {
        KeywordList words = forMyNumber ? myNumber : corporate;
        int hit = fast.positive(a, start, end, positiveWindow, forMyNumber, scratch.positions(positiveWindow));
        if (hit == FastContext.SLOW) {
            KeywordWindow before = scratch.before.before(a, start, positiveWindow);
            KeywordWindow after = scratch.after.after(a, a.length, end, positiveWindow);
            if (before.composing() || after.composing()) {
                String seg = Normalizer.normalize(before.tail(positiveWindow) + '\0' + after.head(positiveWindow),
                        Normalizer.Form.NFKC);
                hit = words.firstIn(seg, true);
            } else {
                hit = Math.min(words.firstIn(before.tail(positiveWindow), true),
                        words.firstIn(after.head(positiveWindow), true));
            }
        }
        return hit == KeywordList.NONE ? null : words.text(hit);
    }

    /** A negative word within the window before {@code start}, on the candidate's line. */
    boolean negative(char[] a, int start, Scratch scratch) {
        if (negativeWindow == 0) {
            return false;
        }
        int quick = fast.negative(a, start, negativeWindow, scratch.positions(negativeWindow));
        if (quick != FastContext.SLOW) {
            return quick == 1;
        }
        KeywordWindow before = scratch.before.before(a, start, negativeWindow);
        int end = before.size();
        int from = before.lastLineStart();
        if (from == end) {
            return false;
        }
        String seg = new String(before.codePoints(), from, end - from);
        if (before.composing()) {
            seg = Normalizer.normalize(seg, Normalizer.Form.NFKC);
        }
        for (String p : positives) {
            if (seg.indexOf(p.charAt(0)) >= 0 && seg.contains(p)) {
                seg = seg.replace(p, MASK);
            }
        }
        return negative.firstIn(seg, false) != KeywordList.NONE;
    }

    /** The first positive keyword in a table header cell, or {@code null}. */
    String header(String cell, boolean forMyNumber) {
        if (cell == null || cell.isEmpty()) {
            return null;
        }
        KeywordList words = forMyNumber ? myNumber : corporate;
        int hit = words.firstIn(KeywordList.normalize(cell), true);
        return hit == KeywordList.NONE ? null : words.text(hit);
    }

    /** Per-scan buffers, so that the scorer itself stays immutable. */
    static final class Scratch {
        final KeywordWindow before = new KeywordWindow();
        final KeywordWindow after = new KeywordWindow();
        private int[] positions = new int[64];

        int[] positions(int n) {
            if (positions.length < n) {
                positions = new int[n];
            }
            return positions;
        }
    }
}
