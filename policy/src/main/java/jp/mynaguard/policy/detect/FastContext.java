package jp.mynaguard.policy.detect;

/**
 * Keyword windows searched in place in the original text, with one table lookup per char.
 *
 * <p>A window of the reference is a slice of its folded text; here it is found by counting
 * kept chars in the original (dropped chars, the CR of CRLF and quote markers do not count),
 * remembering where a keyword could start (a char that folds to some keyword's first char), and
 * trying the keywords only there. Whenever a window holds a char that NFKC could compose with its
 * neighbour (a combining mark, a Hangul jamo) or a surrogate pair, the answer is {@link #SLOW}
 * and {@link ContextScorer} runs the exact model.
 */
final class FastContext {
    static final int SLOW = -1;

    private static final byte MY_NUMBER = 1;
    private static final byte CORPORATE = 2;
    private static final byte NEGATIVE = 4;
    /** Needs a closer look: dropped, line break, quote marker, surrogate, composing. */
    private static final byte SPECIAL = 8;
    /** Folds to {@code [a-z]} (whole-word test of ASCII keywords). */
    private static final byte LOWER = 16;
    /** Folds to a space (removed in the "squeezed" copy). */
    private static final byte BLANK = 32;
    /** Every My Number keyword starting with this char is ASCII, so it must start a word. */
    private static final byte MY_NUMBER_WORD = 64;
    /** Every Corporate keyword starting with this char is ASCII, so it must start a word. */
    private static final byte CORPORATE_WORD = (byte) 128;

    /** Flags per char. */
    private final byte[] flags;
    private final KeywordList myNumber;
    private final KeywordList corporate;
    private final KeywordList negativeWords;

    FastContext(KeywordList myNumber, KeywordList corporate, KeywordList negative) {
        this.myNumber = myNumber;
        this.corporate = corporate;
        this.negativeWords = negative;
        byte[] raw = new byte[65536];
        for (int c = 0; c < 65536; c++) {
            int f = view((char) c);
            byte cls = Folding.classOf((char) c);
            byte bits = 0;
            if (cls == Folding.DROP || cls == Folding.CR || cls == Folding.LF || c == '>'
                    || Character.isSurrogate((char) c) || f >= 0x300 && Folding.isComposing(f)) {
                bits |= SPECIAL;
            }
            if (f >= 'a' && f <= 'z') {
                bits |= LOWER;
            }
            if (f == ' ') {
                bits |= BLANK;
            }
            raw[c] = bits;
        }
        mark(raw, myNumber, MY_NUMBER, MY_NUMBER_WORD);
        mark(raw, corporate, CORPORATE, CORPORATE_WORD);
        mark(raw, negative, NEGATIVE, (byte) 0);
        this.flags = raw;
    }

    private static void mark(byte[] raw, KeywordList list, byte bit, byte wordBit) {
        char[] firstChars = list.firstChars();
        for (int c = 0; c < 65536; c++) {
            if ((raw[c] & SPECIAL) == 0) {
                int f = view((char) c);
                for (char first : firstChars) {
                    if (f == first) {
                        raw[c] |= bit;
                        boolean allAscii = true;
                        for (int k : list.startingWith(first)) {
                            allAscii &= list.isAscii(k);
                        }
                        if (allAscii) {
                            raw[c] |= wordBit;
                        }
                    }
                }
            }
        }
    }

    /** The keyword view of a char that is not dropped (§6.2: NFKC + lower case, first char). */
    private static int view(char c) {
        byte cls = Folding.classOf(c);
        if (cls == Folding.LF || cls == Folding.CR) {
            return '\n';
        }
        return c == '\t' ? '\t' : Folding.fold(c);
    }

    /**
     * Index of the first keyword of the list found within {@code window} kept chars before
     * {@code start} or after {@code end}; {@link KeywordList#NONE}; or {@link #SLOW}.
     */
    int positive(char[] a, int start, int end, int window, boolean forMyNumber, int[] positions) {
        byte bit = forMyNumber ? MY_NUMBER : CORPORATE;
        KeywordList list = forMyNumber ? myNumber : corporate;
        // before: walk back over `window` kept chars, noting where a keyword may start
        int found = 0;
        int kept = 0;
        int p = start - 1;
        final byte[] flags = this.flags;
        final byte stop = (byte) (SPECIAL | bit);
        while (p >= 0 && kept < window) {
            // tight loop over plain chars, which are nearly all of them
            int limit = Math.max(-1, p - (window - kept));
            int from = p;
            while (p > limit && (flags[a[p]] & stop) == 0) {
                p--;
            }
            kept += from - p;
            if (p == limit) {
                continue;
            }
            char c = a[p];
            byte r = flags[c];
            if ((r & SPECIAL) == 0) {
                positions[found++] = p;
                kept++;
                p--;
                continue;
            }
            byte cls = Folding.classOf(c);
            if (cls == Folding.DROP) {
                p--;
            } else if (c == '>') {
                // the rightmost '>' of a run of '>' and ' ': the spaces after it were counted
                int q = p;
                while (q > 0 && (a[q - 1] == '>' || a[q - 1] == ' ')) {
                    q--;
                }
                if (a[q] == '>' && (q == 0 || KeywordWindow.isLineBreak(a[q - 1]))) {
                    int after = p + 1;
                    while (after < start && a[after] == ' ') {
                        after++;
                    }
                    kept -= after - p - 1; // quote marker: the whole run is dropped
                    p = q - 1;
                } else {
                    kept++;
                    p--;
                }
            } else if (cls == Folding.CR && p + 1 < start && a[p + 1] == '\n') {
                p--; // CRLF counts once
            } else if (cls == Folding.CR || cls == Folding.LF) {
                kept++;
                p--;
            } else {
                return SLOW;
            }
        }
        if (kept == window && p + 1 < start && a[p + 1] == ' ' && inQuoteMarker(a, p + 1)) {
            return SLOW; // the window ends inside spaces that may belong to a dropped quote marker
        }
        int best = KeywordList.NONE;
        byte word = forMyNumber ? MY_NUMBER_WORD : CORPORATE_WORD;
        for (int k = found - 1; k >= 0 && best > 0; k--) {
            best = Math.min(best, matchAt(a, positions[k], p + 1, start, list, word));
        }
        if (best == 0) {
            return 0;
        }
        // after: walk forward over `window` kept chars
        found = 0;
        kept = 0;
        p = end;
        boolean lineStart = false;
        final int n = a.length;
        while (p < n && kept < window) {
            char c = a[p];
            if (lineStart) {
                lineStart = false;
                if (c == '>') {
                    while (p < n && (a[p] == '>' || a[p] == ' ')) {
                        p++;
                    }
                    continue;
                }
            }
            int limit = Math.min(n, p + (window - kept));
            int from = p;
            while (p < limit && (flags[a[p]] & stop) == 0) {
                p++;
            }
            kept += p - from;
            if (p == limit) {
                continue;
            }
            c = a[p];
            byte r = flags[c];
            if ((r & SPECIAL) == 0) {
                positions[found++] = p;
                kept++;
                p++;
                continue;
            }
            byte cls = Folding.classOf(c);
            if (cls == Folding.DROP) {
                p++;
            } else if (c == '>') {
                kept++;
                p++;
            } else if (cls == Folding.CR || cls == Folding.LF) {
                if (c == '\r' && p + 1 < a.length && a[p + 1] == '\n') {
                    p++;
                }
                kept++;
                p++;
                lineStart = true;
            } else {
                return SLOW;
            }
        }
        for (int k = 0; k < found && best > 0; k++) {
            best = Math.min(best, matchAt(a, positions[k], end, p, list, word));
        }
        return best;
    }

    /**
     * Whether a negative word occurs within {@code window} kept chars before {@code start}, on the
     * candidate's line: {@code 1} yes, {@code 0} no, or {@link #SLOW} when a positive keyword
     * could be masked out of the window first (or a char needs NFKC) and the exact model must
     * decide.
     */
    int negative(char[] a, int start, int window, int[] positions) {
        final byte[] flags = this.flags;
        int found = 0;
        int kept = 0;
        int p = start - 1;
        while (p >= 0 && kept < window) {
            char c = a[p];
            byte r = flags[c];
            if ((r & SPECIAL) == 0) {
                if ((r & (MY_NUMBER | CORPORATE)) != 0) {
                    return SLOW; // a positive keyword may hide a negative word inside it
                }
                if ((r & NEGATIVE) != 0) {
                    positions[found++] = p;
                }
                kept++;
                p--;
                continue;
            }
            byte cls = Folding.classOf(c);
            if (cls == Folding.CR || cls == Folding.LF) {
                break; // the window ends at the line break
            }
            if (cls != Folding.DROP) {
                return SLOW; // quote marker, surrogate or composing char
            }
            p--;
        }
        if (found == 0) {
            return 0;
        }
        int lo = p + 1;
        for (int k = found - 1; k >= 0; k--) {
            int i = positions[k];
            boolean midWord = i > lo && (flags[a[i - 1]] & LOWER) != 0;
            for (int w : negativeWords.startingWith(view(a[i]))) {
                if (!(midWord && negativeWords.isAscii(w)) && matches(a, i, lo, start, negativeWords, w, false)) {
                    return 1;
                }
            }
        }
        return 0;
    }

    /** Whether the space at {@code p} belongs to a run of '>' and ' ' that starts a line with '>'. */
    private static boolean inQuoteMarker(char[] a, int p) {
        int q = p;
        while (q > 0 && (a[q - 1] == '>' || a[q - 1] == ' ')) {
            q--;
        }
        return a[q] == '>' && (q == 0 || KeywordWindow.isLineBreak(a[q - 1]));
    }

    /** Lowest index of a keyword matching at {@code i} within {@code [lo, hi)}, or NONE. */
    private int matchAt(char[] a, int i, int lo, int hi, KeywordList list, byte word) {
        // most hits of ASCII first chars are inside a word, where no ASCII keyword may start
        boolean midWord = i > lo && (flags[a[i - 1]] & LOWER) != 0;
        if (midWord && (flags[a[i]] & word) != 0) {
            return KeywordList.NONE;
        }
        for (int k : list.startingWith(view(a[i]))) {
            if (midWord && list.isAscii(k)) {
                continue;
            }
            if (matches(a, i, lo, hi, list, k, false) || !list.hasSpace(k) && matches(a, i, lo, hi, list, k, true)) {
                return k; // ascending: the first hit is the lowest index
            }
        }
        return KeywordList.NONE;
    }

    private boolean matches(char[] a, int i, int lo, int hi, KeywordList list, int k, boolean squeeze) {
        String word = list.text(k);
        int q = i;
        for (int j = 0; j < word.length(); j++) {
            while (q < hi && skipped(a[q], squeeze && j > 0)) {
                q++;
            }
            if (q >= hi || view(a[q]) != word.charAt(j)) {
                return false;
            }
            q++;
        }
        if (!list.isAscii(k)) {
            return true;
        }
        int b = i - 1;
        while (b >= lo && skipped(a[b], squeeze)) {
            b--;
        }
        while (q < hi && skipped(a[q], squeeze)) {
            q++;
        }
        return (b < lo || (flags[a[b]] & LOWER) == 0) && (q >= hi || (flags[a[q]] & LOWER) == 0);
    }

    private boolean skipped(char c, boolean blanks) {
        return Folding.classOf(c) == Folding.DROP || blanks && (flags[c] & BLANK) != 0;
    }
}
