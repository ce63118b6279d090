package jp.mynaguard.policy.detect;

/**
 * One pass over one segment. All mutable scan state lives here, so the {@link Detector} itself
 * stays immutable and thread-safe.
 *
 * <p>The pass counts the digits of every <em>cluster</em> (the maximal stretch of digits,
 * separators, dropped chars and quote markers: every shape lies inside one) with one table lookup
 * per char and no branch; a chunk that is mostly Latin-1 text without digits is passed four chars
 * at a time where it can ({@link CharWords}). Where a cluster may hold a number it tokenizes the cluster into digit
 * runs and separator stretches, folding on the fly (N2, N3); no folded copy of the text is made.
 * Clusters hold a few digits in ordinary text and end after a handful of chars.
 */
final class SegmentScan {
    private final char[] a;
    private final int n;
    private final int reportFrom;
    private final int reportTo;
    private final RunBuffer runs;
    private final ShapeMatcher shapes;
    private final FindingEmitter emitter;
    private final boolean wantsInvalid;
    /** Chars the word loop looks at together: four words of {@link CharWords}. */
    private static final int BLOCK = 4 * CharWords.CHARS;
    /** The longest stretch of the per-char loop between tries of the word pass. */
    private static final int MAX_STRETCH = 1024;
    private final Loop loop;
    private final byte[] digits = new byte[13];
    private int nextEvaluation;
    private final TextSegment.LineFeedCount lineFeedCount;
    /** Line feeds the loops have passed ({@link #charLoop}, {@link #wordLoop}). */
    private int loopLineFeeds;

    /** Which loop passes over the text (tests compare them; the detector uses AUTO); CHARS where {@link CharWords} does not work. */
    enum Loop {
        /** {@link #charLoop} only. */
        CHARS,
        /** {@link #wordLoop} (where {@link CharWords} works). */
        WORDS,
        /** {@link #wordLoop} for text that is {@link #mostlyLatin1}, else {@link #charLoop}. */
        AUTO
    }

    SegmentScan(TextSegment segment, char[] a, FindingCollector collector, ContextScorer context) {
        this(segment, a, collector, context, Loop.AUTO);
    }

    SegmentScan(TextSegment segment, char[] a, FindingCollector collector, ContextScorer context, Loop loop) {
        this.loop = CharWords.AVAILABLE ? loop : Loop.CHARS;
        this.a = a;
        this.n = a.length;
        this.reportFrom = Math.max(0, Math.min(segment.reportFrom(), n));
        this.reportTo = Math.max(reportFrom, Math.min(segment.reportTo(), n));
        this.runs = new RunBuffer(a, n);
        this.emitter = new FindingEmitter(segment, collector, a, runs, context);
        this.shapes = new ShapeMatcher(runs, emitter);
        this.wantsInvalid = emitter.wantsInvalid();
        this.lineFeedCount = segment.lineFeeds();
    }

    void run() {
        final char[] a = this.a;
        int i = reportFrom;
        // a chunk may start inside a cluster: tokenize it from its real start
        while (i > 0 && Folding.classOf(a[i - 1]) != Folding.OTHER) {
            i--;
        }
        final int to = reportTo;
        // Line feeds of the reported range, counted on the way (nearly free here, a whole pass
        // over the text in the extractor); those of a cluster's head before reportFrom are not ours.
        int lineFeeds = 0;
        for (int p = i; p < reportFrom; p++) {
            lineFeeds -= a[p] == '\n' ? 1 : 0;
        }
        boolean words = loop == Loop.WORDS || loop == Loop.AUTO && mostlyLatin1(i, to);
        int count = words ? wordLoop(i, to) : charLoop(i, to, 0);
        i = to;
        lineFeeds += loopLineFeeds;
        if (lineFeedCount != null) {
            lineFeedCount.set(lineFeeds);
        }
        // numbers starting at reportTo or later are left to the next chunk (text there is
        // context), but a cluster whose first digit came before it is finished
        if (count > 0) {
            for (; i < n; i++) {
                int step = Folding.scanStep(a[i]);
                if (step < 0) {
                    if (count + step >= 0) {
                        endOfCluster(i, count);
                    }
                    return;
                }
                count += step;
            }
            if (count >= 12) {
                endOfCluster(n, count);
            }
        }
    }

    /**
     * Whether most of {@code [from, to)} is Latin-1 text without digits, judged on up to 32
     * blocks spread over it: then {@link #wordLoop} pays; else (Japanese, digit-dense text) the
     * plain {@link #charLoop} is faster, since a failed word test is wasted work.
     */
    private boolean mostlyLatin1(int from, int to) {
        int blocks = (to - from) / BLOCK;
        if (blocks < 4) {
            return false;
        }
        int samples = Math.min(32, blocks);
        int stride = blocks / samples;
        int passed = 0;
        for (int k = 0; k < samples; k++) {
            int p = from + k * stride * BLOCK;
            if (!CharWords.needsCharLoop(CharWords.word(a, p), CharWords.word(a, p + 4), CharWords.word(a, p + 8),
                    CharWords.word(a, p + 12))) {
                passed++;
            }
        }
        return passed * 4 >= samples * 3;
    }

    /**
     * Counts the digits of the current cluster without a data-dependent branch: mail text has a
     * short cluster every few chars (dates, times, phone numbers, prices), and a branch on each
     * cluster's start and end would mispredict at every one of them. The only branch is taken
     * where a cluster ends that is worth a look (12+ digits, or 2+ before an 'e'). Adds the line
     * feeds to {@link #loopLineFeeds}; returns the count at {@code to}.
     */
    private int charLoop(int from, int to, int count) {
        final char[] a = this.a;
        int lineFeeds = 0;
        for (int i = from; i < to; i++) {
            char c = a[i];
            int step = Folding.scanStep(c);
            int sum = count + step;
            if ((step & ~sum) < 0) { // step < 0 (the cluster ends here) and count >= -step
                endOfCluster(i, count);
            }
            count = sum & ~(step >> 31); // reset at the end of a cluster
            if (c == '\n') {
                lineFeeds++;
            }
        }
        loopLineFeeds += lineFeeds;
        return count;
    }

    /**
     * {@link #charLoop} for text that is mostly Latin-1 without digits: outside a cluster with
     * digits (count 0) a block of such chars leaves the count at 0 and ends no cluster worth a
     * look, so only its line feeds matter, and it is passed a block at a time. Where the word
     * test fails, the char loop takes over for a stretch: one block after the word pass got
     * somewhere, doubling while it finds nothing, up to {@link #MAX_STRETCH}.
     */
    private int wordLoop(int from, int to) {
        final char[] a = this.a;
        int i = from;
        int count = 0;
        int lineFeeds = 0;
        int stretch = BLOCK;
        while (i < to) {
            if (count == 0) {
                int start = i;
                while (to - i >= BLOCK) {
                    long w0 = CharWords.word(a, i);
                    long w1 = CharWords.word(a, i + 4);
                    long w2 = CharWords.word(a, i + 8);
                    long w3 = CharWords.word(a, i + 12);
                    if (CharWords.needsCharLoop(w0, w1, w2, w3)) {
                        break;
                    }
                    lineFeeds += CharWords.lineFeeds(w0) + CharWords.lineFeeds(w1) + CharWords.lineFeeds(w2)
                            + CharWords.lineFeeds(w3);
                    i += BLOCK;
                }
                stretch = i > start ? BLOCK : Math.min(stretch * 2, MAX_STRETCH);
            }
            int end = Math.min(i + stretch, to);
            count = charLoop(i, end, count);
            i = end;
        }
        loopLineFeeds += lineFeeds;
        return count;
    }

    /**
     * The cluster ending at {@code end} (exclusive) holds {@code digits} digits, 2 or more. It
     * is tokenized only for S6 or when it may hold a number: nearly all clusters (dates, times,
     * phone numbers, prices) hold fewer than the 12 digits any shape needs.
     */
    private void endOfCluster(int end, int digits) {
        boolean scientific = end < n && Folding.foldsToE(a[end]) && mantissaBefore(end);
        if (scientific || digits >= 12) {
            int start = end;
            while (start > 0 && Folding.classOf(a[start - 1]) != Folding.OTHER) {
                start--;
            }
            if (scientific || digits > 13 || wantsInvalid || mayPass(start, end, digits)) {
                cluster(start);
            }
        }
    }

    /**
     * A cluster with 12 or 13 digits can only hold a number made of all of them or (13) of the
     * first or last 12; when none of those passes its check digit, nothing in it can be reported.
     * Most long clusters (order numbers, timestamps) end here, untokenized.
     */
    private boolean mayPass(int from, int to, int digits) {
        byte[] d = this.digits;
        int k = 0;
        for (int p = from; p < to; p++) {
            char c = a[p];
            byte cls = Folding.classOf(c);
            if (Folding.isDigit(cls)) {
                d[k++] = (byte) Folding.digitValue(c, cls);
            }
        }
        if (digits == 12) {
            return CheckDigits.myNumber(d, 0);
        }
        return CheckDigits.corporate(d, 0) || CheckDigits.myNumber(d, 0) || CheckDigits.myNumber(d, 1);
    }

    /**
     * Prefilter for S6, which needs {@code d.ddd} right before the {@code e}: digits, a dot, a
     * digit (dropped chars ignored). {@link #scientific} checks the rest.
     */
    private boolean mantissaBefore(int e) {
        int p = skipDroppedBack(e - 1);
        int digits = 0;
        while (p >= 0 && Folding.isDigit(Folding.classOf(a[p]))) {
            p = skipDroppedBack(p - 1);
            digits++;
        }
        if (digits == 0 || p < 0 || Folding.classOf(a[p]) != Folding.DOT) {
            return false;
        }
        p = skipDroppedBack(p - 1);
        return p >= 0 && Folding.isDigit(Folding.classOf(a[p]));
    }

    private int skipDroppedBack(int p) {
        while (p >= 0 && Folding.classOf(a[p]) == Folding.DROP) {
            p--;
        }
        return p;
    }

    /** Tokenizes the cluster around the digit at {@code trigger} and evaluates its runs. */
    private void cluster(int trigger) {
        final char[] a = this.a;
        int start = trigger;
        while (start > 0 && Folding.classOf(a[start - 1]) != Folding.OTHER) {
            start--;
        }
        runs.beginCluster(start);
        nextEvaluation = 0;
        boolean lineStart = start == 0;
        // the current run lives in locals and is stored once it ends
        int runStart = -1;
        int runEnd = -1;
        int length = 0;
        int kanji = 0;
        long packed = 0;
        int i = start;
        while (i < n) {
            char c = a[i];
            if (lineStart) {
                lineStart = false;
                if (c == '>') { // N3: e-mail quote markers "> > " at a line start are dropped
                    do {
                        i++;
                    } while (i < n && (a[i] == '>' || a[i] == ' '));
                    continue;
                }
            }
            byte cls = Folding.classOf(c);
            if (Folding.isDigit(cls)) {
                if (length == 0) {
                    runStart = i;
                }
                if (length < RunBuffer.KEPT_DIGITS) {
                    packed |= (long) Folding.digitValue(c, cls) << (4 * length);
                }
                length++;
                if (cls == Folding.KANJI_DIGIT) {
                    kanji++;
                }
                runEnd = i + 1;
            } else if (cls == Folding.OTHER) {
                break;
            } else if (cls != Folding.DROP) {
                if (length > 0) {
                    addRun(runStart, runEnd, length, kanji, packed);
                    length = 0;
                    kanji = 0;
                    packed = 0;
                }
                if (cls == Folding.CR || cls == Folding.LF) {
                    if (c == '\r' && i + 1 < n && a[i + 1] == '\n') {
                        i++;
                    }
                    lineStart = true;
                }
                runs.addSeparator(Separators.code(Folding.separator(cls)));
            }
            i++;
        }
        if (length > 0) {
            addRun(runStart, runEnd, length, kanji, packed);
        }
        runs.endCluster(i);
        while (nextEvaluation < runs.count()) {
            shapes.evaluate(nextEvaluation++);
        }
        if (i < n && runs.count() >= 2) {
            scientific(i);
        }
    }

    /**
     * Stores a finished run. The separator after run r is known once run r + 1 exists; a shape
     * spans at most 13 runs, so run (count - 14) can then be evaluated.
     */
    private void addRun(int from, int to, int length, int kanji, long packed) {
        runs.addRun(from, to, length, kanji, packed);
        if (runs.count() >= 14) {
            shapes.evaluate(nextEvaluation++);
        }
    }

    /**
     * S6: {@code [0-9]\.[0-9]{1,14}e\+1[01]} not preceded by a digit or dot and not followed by a
     * digit, i.e. a spreadsheet's display of a 12-digit number. The cluster ends at the {@code e}.
     */
    private void scientific(int e) {
        int last = runs.count() - 1;
        int mantissa = runs.digitCount(last);
        if (mantissa > 14 || runs.digitCount(last - 1) != 1 || !Separators.isEmpty(runs.sepAfter(last))
                || Separators.single(runs.sepBefore(last)) != Separators.DOT
                || Folding.foldedAt(a, e, n) != 'e') {
            return;
        }
        long before = runs.sepBefore(last - 1);
        if (Separators.isEmpty(before) && last - 1 == 0) {
            int l = runs.left1();
            if (l >= '0' && l <= '9' || l == '.') {
                return;
            }
        } else if (Separators.last(before) == Separators.DOT) {
            return;
        }
        // after the 'e': '+', '1', '0' or '1', then no digit (dropped chars skipped)
        int p = e + 1;
        int exponent = 0;
        for (int k = 0; k < 3; k++) {
            p = skipDropped(p);
            if (p >= n) {
                return;
            }
            int f = Folding.foldedAt(a, p, n);
            boolean ok = k == 0 ? f == '+' : k == 1 ? f == '1' : f == '0' || f == '1';
            if (!ok) {
                return;
            }
            exponent = f;
            p += Character.charCount(Character.codePointAt(a, p, n));
        }
        int q = skipDropped(p);
        if (q < n) {
            int f = Folding.foldedAt(a, q, n);
            if (f >= '0' && f <= '9') {
                return;
            }
        }
        StringBuilder value = new StringBuilder(mantissa + 6);
        value.append((char) ('0' + runs.digit(last - 1, 0))).append('.');
        for (int k = 0; k < mantissa; k++) {
            value.append((char) ('0' + runs.digit(last, k)));
        }
        value.append("e+1").append((char) exponent);
        emitter.truncated(runs.start(last - 1), p, value.toString());
    }

    private int skipDropped(int p) {
        while (p < n && Folding.classOf(a[p]) == Folding.DROP) {
            p++;
        }
        return p;
    }
}
