package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.util.Arrays;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * Lays out one spreadsheet sheet as a table segment and remembers what the detector needs to
 * report on it: each line is a row, cells are TAB-separated in column order (gaps left as empty
 * cells so the cell index is the column index), the first row is the header. Keeps the row
 * number of every line (rows may be sparse) for {@code Sheet1!C7} locations, and the offsets of
 * numeric cells whose lost leading zero was restored (shape S5).
 */
final class SheetRows implements TextSegment.CellLocator, TextChunker.PaddedCells {
    /** Excel's last column (XFD); a reference beyond it is treated as the next column. */
    static final int MAX_COLUMN = 16383;

    private final String sheetLocation;
    private int[] rowNumbers = new int[64];
    private int lines;
    private int nextColumn;
    private int tabs;
    /** Start/end pairs in the whole text; {@code paddedHead} is the first pair still needed. */
    private long[] padded = new long[16];
    private int paddedLen;
    private int paddedHead;

    SheetRows(String sheetLocation) {
        this.sheetLocation = sheetLocation;
    }

    /** Starts a line for the row with this 1-based number (or the next one when unknown, {@code <= 0}). */
    void beginRow(StringBuilder out, int rowNumber) {
        if (lines > 0) {
            out.append('\n');
        }
        if (rowNumber <= 0) {
            rowNumber = lines == 0 ? 1 : rowNumbers[lines - 1] + 1;
        }
        if (lines == rowNumbers.length) {
            rowNumbers = Arrays.copyOf(rowNumbers, lines * 2);
        }
        rowNumbers[lines++] = rowNumber;
        nextColumn = 0;
        tabs = 0;
    }

    boolean inRow() {
        return lines > 0;
    }

    /**
     * Appends a cell at a 0-based column ({@code < 0} when unknown: the next one).
     *
     * @param outStart       offset of {@code out.charAt(0)} in the whole text
     * @param paddedNumeric  whether {@code text} is an 11-digit number left-padded to 12
     */
    void cell(StringBuilder out, long outStart, int column, CharSequence text, boolean paddedNumeric) {
        if (lines == 0) {
            beginRow(out, 0);
        }
        int c = column < nextColumn || column > MAX_COLUMN ? nextColumn : column;
        for (; tabs < c; tabs++) {
            out.append('\t');
        }
        long start = outStart + out.length();
        appendClean(out, text);
        if (paddedNumeric) {
            addPadded(start, outStart + out.length());
        }
        nextColumn = c + 1;
    }

    /** A TAB or line break inside a cell would shift every later cell: they become spaces. */
    private static void appendClean(StringBuilder out, CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char ch = text.charAt(i);
            out.append(ch == '\t' || ch == '\n' || ch == '\r' || ch == '\u000b' || ch == '\f' ? ' ' : ch);
        }
    }

    private void addPadded(long start, long end) {
        if (paddedLen + 2 > padded.length) {
            // Drop what chunks already passed before growing.
            System.arraycopy(padded, paddedHead, padded, 0, paddedLen - paddedHead);
            paddedLen -= paddedHead;
            paddedHead = 0;
            if (paddedLen + 2 > padded.length) {
                padded = Arrays.copyOf(padded, padded.length * 2);
            }
        }
        padded[paddedLen++] = start;
        padded[paddedLen++] = end;
    }

    @Override
    public int[] between(long from, long to) {
        while (paddedHead < paddedLen && padded[paddedHead + 1] <= from) {
            paddedHead += 2;
        }
        int[] tmp = new int[16];
        int n = 0;
        for (int i = paddedHead; i < paddedLen && padded[i] < to; i += 2) {
            if (padded[i] >= from && padded[i + 1] <= to) {
                if (n + 2 > tmp.length) {
                    tmp = Arrays.copyOf(tmp, tmp.length * 2);
                }
                tmp[n++] = (int) (padded[i] - from);
                tmp[n++] = (int) (padded[i + 1] - from);
            }
        }
        return Arrays.copyOf(tmp, n);
    }

    /** {@code <sheet location>!C7}: the column letters of the cell index, the row number of the line. */
    @Override
    public String locate(int line, int column) {
        if (line < 0 || line >= lines) {
            return sheetLocation;
        }
        String row = Integer.toString(rowNumbers[line]);
        return column < 0 ? sheetLocation + "!" + row + ":" + row
                : sheetLocation + "!" + columnName(column) + row;
    }

    /** 0 → A, 25 → Z, 26 → AA. */
    static String columnName(int column) {
        StringBuilder sb = new StringBuilder(3);
        for (int c = column + 1; c > 0; c = (c - 1) / 26) {
            sb.append((char) ('A' + (c - 1) % 26));
        }
        return sb.reverse().toString();
    }

    /** 0-based column of a cell reference such as {@code C7} or {@code $AB$12}; -1 when there is none. */
    static int columnOf(String ref) {
        if (ref == null) {
            return -1;
        }
        int col = 0;
        int i = 0;
        if (i < ref.length() && ref.charAt(i) == '$') {
            i++;
        }
        int start = i;
        for (; i < ref.length() && i - start < 4; i++) {
            char ch = ref.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                col = col * 26 + (ch - 'A' + 1);
            } else if (ch >= 'a' && ch <= 'z') {
                col = col * 26 + (ch - 'a' + 1);
            } else {
                break;
            }
        }
        return i == start ? -1 : col - 1;
    }

    /**
     * Emits the sheet text read from {@code text} as one table (chunked when large, header row
     * carried into later chunks).
     */
    void emit(ExtractionContext ctx, PullingReader text) throws IOException {
        TextSegment.Table table = new TextSegment.Table(ctx.newTableId(), '\t', null, false);
        new TextChunker(ctx, ctx.limits().chunkChars(), ctx.limits().chunkOverlapChars())
                .run(sheetLocation, text, table, this, this);
    }
}
