package jp.mynaguard.policy.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a candidate is in its segment: line (for {@link TextSegment#locate}), table cell, and the
 * header cell of its column. Lines are counted lazily and incrementally, only when a finding is
 * reported, since findings come in text order.
 */
final class Positions {
    private static final String UNSET = new String("unset"); // identity sentinel

    private final char[] a;
    private final TextSegment.Table table;
    private final ContextScorer context;
    private int lineCursor;
    private int lineCount;
    private List<String> headerCells;
    private String[] myNumberHeader;
    private String[] corporateHeader;

    Positions(char[] a, TextSegment segment, ContextScorer context) {
        this.a = a;
        this.table = segment.table();
        this.context = context;
    }

    TextSegment.Table table() {
        return table;
    }

    /** 0-based line of offset {@code p} within the segment (LF, CRLF, lone CR and U+2028 break lines). */
    int line(int p) {
        if (p < lineCursor) {
            lineCursor = 0;
            lineCount = 0;
        }
        for (int i = lineCursor; i < p; i++) {
            char c = a[i];
            if (c == '\n' || c == '\u2028' || c == '\r' && (i + 1 == a.length || a[i + 1] != '\n')) {
                lineCount++;
            }
        }
        lineCursor = p;
        return lineCount;
    }

    /** 0-based cell index of offset {@code p}, or -1 outside tables. */
    int column(int p) {
        if (table == null) {
            return -1;
        }
        int s = p;
        while (s > 0 && !KeywordWindow.isLineBreak(a[s - 1])) {
            s--;
        }
        char delimiter = table.delimiter();
        boolean quoted = false;
        int column = 0;
        for (int i = s; i < p; i++) {
            char c = a[i];
            if (c == '"' && table.quoted()) {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                column++;
            }
        }
        return column;
    }

    /** The positive keyword in the header cell of a column, or {@code null}. */
    String headerKeyword(int column, boolean myNumber) {
        if (table == null || column < 0) {
            return null;
        }
        if (headerCells == null) {
            headerCells = splitHeader();
            myNumberHeader = new String[headerCells.size()];
            corporateHeader = new String[headerCells.size()];
            Arrays.fill(myNumberHeader, UNSET);
            Arrays.fill(corporateHeader, UNSET);
        }
        if (column >= headerCells.size()) {
            return null;
        }
        String[] cache = myNumber ? myNumberHeader : corporateHeader;
        if (cache[column] == UNSET) {
            cache[column] = context.header(headerCells.get(column), myNumber);
        }
        return cache[column];
    }

    private List<String> splitHeader() {
        CharSequence header = table.header();
        if (header == null) {
            int end = 0;
            while (end < a.length && !KeywordWindow.isLineBreak(a[end])) {
                end++;
            }
            header = new String(a, 0, end);
        }
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"' && table.quoted()) {
                if (quoted && i + 1 < header.length() && header.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == table.delimiter() && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
