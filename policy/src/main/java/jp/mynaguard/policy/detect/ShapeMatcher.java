package jp.mynaguard.policy.detect;

/**
 * Shapes S1-S4 and C1, C2, C4 (§6.3) with boundaries B1/B2 (§6.4) over the runs of a cluster.
 *
 * <p>B1 says no digit may touch a match, so a match always starts at the first digit of a run
 * and ends at the last digit of a run: a shape is a pattern of run lengths and separators. The
 * reference tries every regex at every offset; that collapses to at most one My Number and one
 * Corporate Number end per start run, since the shapes that share a start need different run
 * lengths. Where several shapes cover the same runs (S2 and S3 on {@code dddd dddd dddd}) the
 * highest base that passes its own boundary test wins, as in the reference.
 *
 * <p>The check digit is asked before the boundary tests: it is cheaper and fails nine times in
 * ten. Only in tables, where the column rule (A3) counts invalid values too, is every match with
 * good boundaries passed on.
 */
final class ShapeMatcher {
    static final int S1 = 1;
    static final int S2 = 2;
    static final int S3 = 3;
    static final int S4 = 4;
    static final int C1 = 11;
    static final int C2 = 12;
    static final int C4 = 14;

    /** Boundary verdicts. */
    private static final int REJECT = 0;
    private static final int PLAIN = 1;
    private static final int AFTER_T = 2;

    /** Receives the matches that pass B1/B2 (and V1, unless {@link Sink#wantsInvalid()}). */
    interface Sink {
        /** V1 of the digits of runs first..last; asked before the boundary tests, which cost more. */
        boolean checkDigitOk(int first, int last, boolean corporate);

        /** Whether matches failing V1 must still be reported (column statistics, A3). */
        boolean wantsInvalid();

        void myNumber(int first, int last, int shape, int base);

        void corporate(int first, int last, int shape, int base, boolean invoice);
    }

    private final RunBuffer runs;
    private final Sink sink;

    private int checkedFirst = -1;
    private int checkedLast;
    private boolean checkedCorporate;
    private boolean checkedOk;
    private int bestShape;
    private int bestBase;
    private int bestLast;
    private boolean bestInvoice;

    ShapeMatcher(RunBuffer runs, Sink sink) {
        this.runs = runs;
        this.sink = sink;
    }

    void evaluate(int i) {
        checkedFirst = -1; // run numbers restart with every cluster
        int len = runs.digitCount(i);
        if (len == 12 || len == 4 || len == 1 || len <= 11 && runs.exists(i + 1)) {
            myNumber(i, len);
        }
        if (len == 13 || len == 1) {
            corporate(i, len);
        }
    }

    private void myNumber(int i, int len) {
        bestBase = -1;
        if (len == 12) {
            offer(i, i, S1, 1, 0, 0, false);
        }
        if (len == 4 && runs.exists(i + 2) && runs.digitCount(i + 1) == 4 && runs.digitCount(i + 2) == 4) {
            long a = runs.sepAfter(i);
            long b = runs.sepAfter(i + 1);
            int chars = Separators.chars(a) | Separators.chars(b);
            if (Separators.same(a, b) && Separators.isS2(a)) {
                offer(i, i + 2, S2, 2, a, chars, false);
            }
            if (Separators.isS3(a) && Separators.isS3(b)) {
                offer(i, i + 2, S3, 1, 0, chars, false);
            }
            if (Separators.same(a, b) && Separators.isCell(a)) {
                offer(i, i + 2, S4, 1, a, chars, false);
            }
        }
        if (len <= 11 && runs.exists(i + 1) && runs.sepAfter(i) == Separators.NEWLINE) {
            // hard wrap: two runs split by one LF, 12 digits in all, neither longer than 11
            int len2 = runs.digitCount(i + 1);
            if (len2 <= 11 && len + len2 == 12) {
                offer(i, i + 1, S3, 1, 0, 1 << Separators.LF, false);
            }
        }
        if (len == 1 && cells(i, 12)) {
            offer(i, i + 11, S4, 1, runs.sepAfter(i), Separators.chars(runs.sepAfter(i)), false);
        }
        if (bestBase >= 0) {
            sink.myNumber(i, bestLast, bestShape, bestBase);
        }
    }

    private void corporate(int i, int len) {
        bestBase = -1;
        if (len == 13) {
            offer(i, i, C1, 1, 0, 0, true);
        }
        if (len == 1 && runs.exists(i + 3) && runs.digitCount(i + 1) == 4 && runs.digitCount(i + 2) == 4
                && runs.digitCount(i + 3) == 4) {
            long a = runs.sepAfter(i);
            if (Separators.isC2(a) && Separators.same(a, runs.sepAfter(i + 1))
                    && Separators.same(a, runs.sepAfter(i + 2))) {
                offer(i, i + 3, C2, 2, a, Separators.chars(a), true);
            }
        }
        if (len == 1 && cells(i, 13)) {
            offer(i, i + 12, C4, 1, runs.sepAfter(i), Separators.chars(runs.sepAfter(i)), true);
        }
        if (bestBase >= 0) {
            sink.corporate(i, bestLast, bestShape, bestBase, bestInvoice);
        }
    }

    private boolean checkDigitOk(int first, int last, boolean corporate) {
        if (sink.wantsInvalid()) {
            return true;
        }
        if (first != checkedFirst || last != checkedLast || corporate != checkedCorporate) {
            checkedFirst = first;
            checkedLast = last;
            checkedCorporate = corporate;
            checkedOk = sink.checkDigitOk(first, last, corporate);
        }
        return checkedOk;
    }

    /** {@code n} one-digit runs from {@code i}, all separated by the same cell separator. */
    private boolean cells(int i, int n) {
        if (!runs.exists(i + n - 1)) {
            return false;
        }
        long c = runs.sepAfter(i);
        if (!Separators.isCell(c)) {
            return false;
        }
        for (int k = 1; k < n; k++) {
            if (runs.digitCount(i + k) != 1 || k < n - 1 && !Separators.same(c, runs.sepAfter(i + k))) {
                return false;
            }
        }
        return true;
    }

    private void offer(int first, int last, int shape, int base, long joiner, int chars, boolean corporate) {
        if (base <= bestBase || !checkDigitOk(first, last, corporate)) {
            return;
        }
        int verdict = boundary(first, last, joiner, chars, corporate);
        if (verdict != REJECT) {
            bestBase = base;
            bestShape = shape;
            bestLast = last;
            bestInvoice = verdict == AFTER_T;
        }
    }

    /**
     * B1: the folded chars touching the match are not {@code [0-9a-z_]} (nor {@code +} before);
     * a lone {@code t} before a Corporate Number makes it an invoice number. B2: the match is not
     * a link of a chain (a digit, then a link stretch, then the match, or the mirror image).
     */
    private int boundary(int first, int last, long joiner, int chars, boolean corporate) {
        int verdict = PLAIN;
        long before = runs.sepBefore(first);
        if (!runs.isFirst(first)) {
            if (Separators.isLink(before, joiner, chars)) {
                return REJECT;
            }
        } else if (Separators.isEmpty(before)) {
            int l = runs.left1();
            if (l == 't' && corporate) {
                int l2 = runs.left2();
                if (l2 != RunBuffer.NONE && Folding.isAlnumLike(l2)) {
                    return REJECT;
                }
                verdict = AFTER_T;
            } else if (l >= '0' && l <= '9' || l >= 'a' && l <= 'z' || l == '_' || l == '+') {
                return REJECT;
            } else if ((l == '/' || l == ':') && runs.left2() != RunBuffer.NONE
                    && Folding.isDigitLike(runs.left2())) {
                return REJECT;
            }
        } else if (runs.left1() != RunBuffer.NONE && Folding.isDigitLike(runs.left1())
                && Separators.isLink(before, joiner, chars)) {
            return REJECT;
        }
        long after = runs.sepAfter(last);
        if (!runs.isLast(last)) {
            if (Separators.isLink(after, joiner, chars)) {
                return REJECT;
            }
        } else if (Separators.isEmpty(after)) {
            int r = runs.right1();
            if (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '_') {
                return REJECT;
            }
            if ((r == '/' || r == ':') && runs.right2() != RunBuffer.NONE && Folding.isDigitLike(runs.right2())) {
                return REJECT;
            }
        } else if (runs.right1() != RunBuffer.NONE && Folding.isDigitLike(runs.right1())
                && Separators.isLink(after, joiner, chars)) {
            return REJECT;
        }
        return verdict;
    }
}
