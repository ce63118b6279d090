package jp.mynaguard.policy.detect;

/**
 * One pass over one segment. All mutable scan state lives here, so the {@link Detector} itself
 * stays immutable and thread-safe.
 *
 * <p>The pass skips every char that cannot start a number with one bit test. At a digit it
 * tokenizes the surrounding <em>cluster</em> (the maximal stretch of digits, separators, dropped
 * chars and quote markers: every shape lies inside one) into digit runs and separator stretches,
 * folding on the fly (N2, N3); no folded copy of the text is made. Clusters hold a few digits in
 * ordinary text and end after a handful of chars.
 */
final class SegmentScan {
    private final char[] a;
    private final int n;
    private final int reportFrom;
    private final RunBuffer runs;
    private final ShapeMatcher shapes;
    private final FindingEmitter emitter;
    private int nextEvaluation;

    SegmentScan(TextSegment segment, char[] a, FindingCollector collector, ContextScorer context) {
        this.a = a;
        this.n = a.length;
        this.reportFrom = Math.max(0, Math.min(segment.reportFrom(), n));
        this.runs = new RunBuffer(a, n);
        this.emitter = new FindingEmitter(segment, collector, a, runs, context);
        this.shapes = new ShapeMatcher(runs, emitter);
    }

    void run() {
        final char[] a = this.a;
        final int n = this.n;
        int i = reportFrom;
        while (i < n) {
            if (!Folding.isTrigger(a[i])) {
                i++;
                continue;
            }
            i = cluster(i) + 1; // the char ending a cluster cannot start a number
        }
    }

    /**
     * Tokenizes the cluster around the digit at {@code trigger} and evaluates its runs.
     * Returns the offset of the char that ended the cluster ({@code n} at the end).
     */
    private int cluster(int trigger) {
        int start = trigger;
        while (start > 0 && Folding.isClusterChar(Folding.classOf(a[start - 1]))) {
            start--;
        }
        runs.beginCluster(start);
        nextEvaluation = 0;
        boolean lineStart = start == 0;
        boolean inRun = false;
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
                if (!inRun) {
                    runs.beginRun(i);
                    inRun = true;
                    // the separator after run r is known once run r + 1 starts; a shape spans
                    // at most 13 runs, so run (count - 14) can now be evaluated
                    if (runs.count() >= 14) {
                        shapes.evaluate(nextEvaluation++);
                    }
                }
                runs.addDigit(Folding.digitValue(c, cls), cls == Folding.KANJI_DIGIT, i);
            } else if (cls == Folding.OTHER) {
                break;
            } else if (cls != Folding.DROP) {
                inRun = false;
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
        runs.endCluster(i);
        while (nextEvaluation < runs.count()) {
            shapes.evaluate(nextEvaluation++);
        }
        if (i < n && runs.count() >= 2) {
            scientific(i);
        }
        return i;
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
        int[] want = {'+', '1', -1};
        int exponent = 0;
        for (int k = 0; k < 3; k++) {
            p = skipDropped(p);
            if (p >= n) {
                return;
            }
            int f = Folding.foldedAt(a, p, n);
            if (k < 2 ? f != want[k] : f != '0' && f != '1') {
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
