package jp.mynaguard.policy.detect;

/**
 * The keyword view (§6.2: NFKC + lower case per char, line breaks and tabs kept, dropped chars
 * and quote markers removed) of the chars just before or after a candidate: the exact model,
 * used where {@link FastContext} cannot answer (combining marks, surrogate pairs) and for
 * negative words.
 *
 * <p>Windows count folded code points, as the reference does on its folded copy of the text.
 */
final class KeywordWindow {
    private int[] codePoints = new int[64];
    private int count;
    private boolean composing;

    KeywordWindow() {
    }

    int size() {
        return count;
    }

    /** The code points, valid up to {@link #size()}. */
    int[] codePoints() {
        return codePoints;
    }

    /** Start of the window's last line (after the last line break), or 0. */
    int lastLineStart() {
        for (int i = count - 1; i >= 0; i--) {
            if (codePoints[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Whether the window holds a char that NFKC may compose with its neighbour (a combining mark
     * such as the ﾞ of ﾊﾞ, or a Hangul jamo); only then must keyword search normalise first.
     */
    boolean composing() {
        return composing;
    }

    private int[] capacity(int n) {
        if (codePoints.length < n) {
            codePoints = new int[Math.max(n, codePoints.length * 2)];
        }
        composing = false;
        return codePoints;
    }

    private int note(int cp) {
        if (cp >= 0x300 && Folding.isComposing(cp)) {
            composing = true;
        }
        return cp;
    }

    /** The last {@code n} code points (or all). */
    String tail(int n) {
        int from = Math.max(0, count - n);
        return new String(codePoints, from, count - from);
    }

    /** The first {@code n} code points (or all). */
    String head(int n) {
        return new String(codePoints, 0, Math.min(n, count));
    }

    /** Up to {@code limit} keyword-view code points ending just before {@code start}. */
    KeywordWindow before(char[] a, int start, int limit) {
        int[] out = capacity(limit);
        int kept = 0;
        int p = start - 1;
        while (p >= 0 && kept < limit) {
            char c = a[p];
            byte cls = Folding.classOf(c);
            if (cls == Folding.DROP) {
                p--;
                continue;
            }
            if (c == '>' || c == ' ') {
                // A run of '>' and ' ' is a dropped quote marker if it starts with '>' at a line start.
                int q = p;
                while (q > 0 && (a[q - 1] == '>' || a[q - 1] == ' ')) {
                    q--;
                }
                if (a[q] == '>' && (q == 0 || isLineBreak(a[q - 1]))) {
                    p = q - 1;
                    continue;
                }
                while (p >= q && kept < limit) {
                    out[kept++] = a[p--];
                }
                continue;
            }
            int cp;
            if (cls == Folding.LF || cls == Folding.CR) {
                if (c == '\r' && p + 1 < a.length && a[p + 1] == '\n' && p + 1 < start) {
                    p--;
                    continue; // CRLF: the LF already stands for both
                }
                cp = '\n';
            } else if (cls == Folding.TAB) {
                cp = '\t';
            } else if (Character.isLowSurrogate(c) && p > 0 && Character.isHighSurrogate(a[p - 1])) {
                p--;
                cp = note(Folding.fold(Character.toCodePoint(a[p], c)));
            } else {
                cp = note(Folding.fold(c));
            }
            out[kept++] = cp;
            p--;
        }
        // collected backwards
        for (int i = 0, j = kept - 1; i < j; i++, j--) {
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        count = kept;
        return this;
    }

    /** Up to {@code limit} keyword-view code points starting at {@code end} (after a digit). */
    KeywordWindow after(char[] a, int length, int end, int limit) {
        int[] out = capacity(limit);
        int kept = 0;
        int p = end;
        boolean lineStart = false;
        while (p < length && kept < limit) {
            char c = a[p];
            if (lineStart) {
                lineStart = false;
                if (c == '>') {
                    while (p < length && (a[p] == '>' || a[p] == ' ')) {
                        p++;
                    }
                    continue;
                }
            }
            byte cls = Folding.classOf(c);
            if (cls == Folding.DROP) {
                p++;
                continue;
            }
            int cp;
            if (cls == Folding.LF || cls == Folding.CR) {
                if (c == '\r' && p + 1 < length && a[p + 1] == '\n') {
                    p++;
                }
                cp = '\n';
                lineStart = true;
            } else if (cls == Folding.TAB) {
                cp = '\t';
            } else {
                int raw = Character.codePointAt(a, p, length);
                p += Character.charCount(raw) - 1;
                cp = note(Folding.fold(raw));
            }
            out[kept++] = cp;
            p++;
        }
        count = kept;
        return this;
    }

    static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u2028';
    }
}
