package jp.mynaguard.policy.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Validation (V1-V3, B3), context and scoring of shape matches (§6.4-§6.6); hands findings and
 * column statistics to the collector. Everything past the check digit is rare, so this is where
 * strings and lists are finally allowed.
 *
 * <p>{@code score = base + 2·[positive keyword] − [date-like] − [negative word] − [V3 fail]},
 * clamped to 0..3; 0 is no finding.
 */
final class FindingEmitter implements ShapeMatcher.Sink {
    private final TextSegment segment;
    private final FindingCollector collector;
    private final char[] a;
    private final RunBuffer runs;
    private final ContextScorer context;
    private final Positions positions;
    private final UrlGuard urls;
    private final int reportFrom;
    private final int reportTo;
    private final String tableId;
    private final int delimiterCode;
    private final byte[] digits = new byte[RunBuffer.KEPT_DIGITS];
    private final ContextScorer.Scratch scratch = new ContextScorer.Scratch();

    FindingEmitter(TextSegment segment, FindingCollector collector, char[] a, RunBuffer runs, ContextScorer context) {
        this.segment = segment;
        this.collector = collector;
        this.a = a;
        this.runs = runs;
        this.context = context;
        this.positions = new Positions(a, segment, context);
        this.urls = new UrlGuard(a, a.length);
        this.reportFrom = segment.reportFrom();
        this.reportTo = segment.reportTo();
        TextSegment.Table table = segment.table();
        this.tableId = table == null ? null : table.id();
        this.delimiterCode = table == null ? 0 : delimiterCode(table.delimiter());
    }

    private static int delimiterCode(char d) {
        switch (d) {
            case ',':
                return Separators.COMMA;
            case '\t':
                return Separators.TAB;
            case ';':
                return Separators.SEMI;
            case '|':
                return Separators.PIPE;
            default:
                return 0;
        }
    }

    @Override
    public boolean checkDigitOk(int first, int last, boolean corporate) {
        int n = collect(first, last);
        return corporate ? n == 13 && CheckDigits.corporate(digits, 0) : n == 12 && CheckDigits.myNumber(digits, 0);
    }

    @Override
    public boolean wantsInvalid() {
        return tableId != null;
    }

    @Override
    public void myNumber(int first, int last, int shape, int base) {
        int start = runs.start(first);
        if (!reported(start) || collect(first, last) != 12) {
            return;
        }
        boolean valid = CheckDigits.myNumber(digits, 0);
        int column = positions.column(start);
        if (tableId != null && withinCell(first, last)) {
            collector.countColumnValue(tableId, column, valid);
        }
        int kanji = kanjiCount(first, last);
        if (!valid || kanji != 0 && kanji != 12 || CheckDigits.repdigit(digits, 0, 12) || urls.covers(start)) {
            return;
        }
        int end = runs.end(last);
        List<String> reasons = new ArrayList<>(6);
        int score = base;
        if (segment.isPaddedNumericCell(start, end)) {
            reasons.add("shape:S5");
            score = 0;
        } else {
            reasons.add(shapeReason(shape));
        }
        reasons.add("checksum");
        if (kanji != 0) {
            reasons.add("kanji");
            score = 0;
        }
        score += context(start, end, true, column, reasons);
        if (CheckDigits.dateLike(digits, 0)) {
            reasons.add("penalty:date-like");
            score--;
        }
        emit(FindingType.MY_NUMBER, score, reasons, 12, start, column);
    }

    @Override
    public void corporate(int first, int last, int shape, int base, boolean invoice) {
        int start = runs.start(first);
        if (!reported(start) || collect(first, last) != 13 || !CheckDigits.corporate(digits, 0)) {
            return;
        }
        int kanji = kanjiCount(first, last);
        if (kanji != 0 && kanji != 13 || CheckDigits.repdigit(digits, 1, 13) || urls.covers(start)) {
            return;
        }
        int column = positions.column(start);
        List<String> reasons = new ArrayList<>(6);
        reasons.add(shapeReason(shape));
        reasons.add("checksum");
        if (invoice) {
            reasons.add("prefix:T");
        }
        int score = base;
        if (kanji != 0) {
            reasons.add("kanji");
            score = 0;
        }
        score += context(start, runs.end(last), false, column, reasons);
        if (!CheckDigits.plausibleCorporate(digits, 0)) {
            reasons.add("penalty:implausible-corporate");
            score--;
        }
        emit(invoice ? FindingType.INVOICE_REG_NO : FindingType.CORPORATE_NUMBER, score, reasons, 13, start, column);
    }

    /** S6: a spreadsheet's {@code 2.72034E+11}; reported only with My Number context. */
    void truncated(int start, int end, String value) {
        if (!reported(start)) {
            return;
        }
        int column = positions.column(start);
        List<String> reasons = new ArrayList<>(3);
        reasons.add("shape:S6");
        if (keyword(start, end, true, column, reasons) != null) {
            collector.add(FindingType.MY_NUMBER_TRUNCATED, Level.MEDIUM, reasons, value, segment,
                    line(start), column, tableId);
        }
    }

    /** Chunks overlap: what starts before reportFrom or from reportTo on is another chunk's. */
    private boolean reported(int start) {
        return start >= reportFrom && start < reportTo;
    }

    private void emit(FindingType type, int score, List<String> reasons, int length, int start, int column) {
        Level level = Level.ofScore(Math.max(0, Math.min(3, score)));
        if (level == null) {
            return;
        }
        char[] value = new char[length];
        for (int i = 0; i < length; i++) {
            value[i] = (char) ('0' + digits[i]);
        }
        collector.add(type, level, reasons, new String(value), segment, line(start),
                column, tableId);
    }

    private int line(int start) {
        return segment.hasLocator() ? segment.firstLine() + positions.line(start) : segment.firstLine();
    }

    /** +2 for a positive keyword (window or column header), -1 for a negative word. */
    private int context(int start, int end, boolean myNumber, int column, List<String> reasons) {
        int delta = keyword(start, end, myNumber, column, reasons) != null ? 2 : 0;
        if (context.negative(a, start, scratch)) {
            reasons.add("penalty:negative-word");
            delta--;
        }
        return delta;
    }

    private String keyword(int start, int end, boolean myNumber, int column, List<String> reasons) {
        String kw = context.positive(a, start, end, myNumber, scratch);
        if (kw != null) {
            reasons.add("keyword:" + kw);
            return kw;
        }
        kw = positions.headerKeyword(column, myNumber);
        if (kw != null) {
            reasons.add("header:" + kw);
        }
        return kw;
    }

    /** Copies the digits of runs first..last into {@link #digits}; returns how many. */
    private int collect(int first, int last) {
        int n = 0;
        for (int r = first; r <= last; r++) {
            int len = runs.digitCount(r);
            if (n + len > digits.length) {
                return -1;
            }
            n = runs.copyDigits(r, digits, n);
        }
        return n;
    }

    private int kanjiCount(int first, int last) {
        int k = 0;
        for (int r = first; r <= last; r++) {
            k += runs.kanjiCount(r);
        }
        return k;
    }

    /** No LF and no table delimiter between the runs: the value sits in one cell (A3). */
    private boolean withinCell(int first, int last) {
        for (int r = first; r < last; r++) {
            if (Separators.crossesCells(runs.sepAfter(r), delimiterCode)) {
                return false;
            }
        }
        return true;
    }

    private static String shapeReason(int shape) {
        switch (shape) {
            case ShapeMatcher.S1:
                return "shape:S1";
            case ShapeMatcher.S2:
                return "shape:S2";
            case ShapeMatcher.S3:
                return "shape:S3";
            case ShapeMatcher.S4:
                return "shape:S4";
            case ShapeMatcher.C1:
                return "shape:C1";
            case ShapeMatcher.C2:
                return "shape:C2";
            default:
                return "shape:C4";
        }
    }
}
