package jp.mynaguard.policy.detect;

import java.util.Objects;

/**
 * A piece of decoded text handed to the {@link Detector}, with where it came from.
 *
 * <p>Extractors cut large texts into chunks; consecutive chunks overlap so that a number on a
 * chunk boundary is seen whole, and {@link #reportFrom()} tells the detector to ignore
 * candidates that start in the overlap already covered by the previous chunk.
 *
 * <p>A <em>table</em> segment (CSV, TSV, spreadsheet sheet, HTML table) has one row per line
 * and cells separated by {@link Table#delimiter()}; the detector uses the header row as
 * column context and applies the column rule (A3) per {@link Table#id()}.
 *
 * <p>The text may be a view of the extractor's chunk buffer ({@code CharBuffer.wrap}), which the
 * next chunk overwrites: a segment is valid only while {@link
 * jp.mynaguard.policy.extract.SegmentSink#segment} runs. A sink that keeps segments keeps
 * {@link #detached()} copies. Copying every chunk into a {@code String} and back into the
 * detector's array was a third of the cost of scanning a large upload.
 */
public final class TextSegment {
    private final String location;
    private final CharSequence text;
    private final Table table;
    private final int reportFrom;
    private final int reportTo;
    private final int firstLine;
    private final CellLocator locator;
    private final int[] paddedNumericCells;
    private final LineFeedCount lineFeeds;

    private TextSegment(Builder b) {
        this.location = Objects.requireNonNull(b.location, "location");
        this.text = Objects.requireNonNull(b.text, "text");
        this.table = b.table;
        this.reportFrom = b.reportFrom;
        this.reportTo = b.reportTo < 0 ? b.text.length() : b.reportTo;
        this.firstLine = b.firstLine;
        this.locator = b.locator;
        this.paddedNumericCells = b.paddedNumericCells == null ? new int[0] : b.paddedNumericCells.clone();
        this.lineFeeds = b.lineFeeds;
    }

    public static TextSegment of(String location, CharSequence text) {
        return builder(location, text).build();
    }

    public static Builder builder(String location, CharSequence text) {
        return new Builder(location, text);
    }

    /** Location of the whole segment, e.g. {@code body}, {@code subject}, {@code attachment:a.zip/b.csv}. */
    public String location() {
        return location;
    }

    public CharSequence text() {
        return text;
    }

    /** This segment with its text copied into a {@code String}, safe to keep after the sink call. */
    public TextSegment detached() {
        if (text instanceof String) {
            return this;
        }
        Builder b = builder(location, text.toString()).table(table).reportFrom(reportFrom).reportTo(reportTo)
                .firstLine(firstLine).locator(locator);
        b.paddedNumericCells = paddedNumericCells;
        return b.build();
    }

    /** Table layout, or {@code null} for running text. */
    public Table table() {
        return table;
    }

    /** Offset in {@link #text()} before which candidates are not reported (chunk overlap). */
    public int reportFrom() {
        return reportFrom;
    }

    /**
     * Offset in {@link #text()} at and after which candidates are not reported: the next chunk
     * covers them with their full right-hand context (a number cut at the chunk end must not be
     * mistaken for a whole one). Defaults to the text length.
     */
    public int reportTo() {
        return reportTo;
    }

    /** 0-based number of this segment's first line within the whole part (for chunks). */
    public int firstLine() {
        return firstLine;
    }

    /**
     * Location of a finding at a 0-based line (counted from the start of the whole part, i.e.
     * including {@link #firstLine()}) and 0-based cell index ({@code -1} outside tables).
     */
    public String locate(int line, int column) {
        return locator == null ? location : locator.locate(line, column);
    }

    /**
     * Start/end offset pairs of spreadsheet numeric cells whose value had 11 digits and was
     * left-padded to 12 by the extractor (shape S5: leading zero lost). A candidate that is
     * exactly such a range has base score 0 and needs a keyword.
     */
    public int[] paddedNumericCells() {
        return paddedNumericCells.clone();
    }

    /** Where the detector puts the line feeds it passed in the reported range, or {@code null}. */
    LineFeedCount lineFeeds() {
        return lineFeeds;
    }

    /**
     * The number of line feeds in {@code [reportFrom, reportTo)}, filled in by the detector as it
     * passes them, so an extractor chunking a long text need not make a second pass over every
     * char to know where the next chunk's lines start. Stays -1 when no detector saw the segment.
     */
    public static final class LineFeedCount {
        private int count = -1;

        public int get() {
            return count;
        }

        void set(int count) {
            this.count = count;
        }

        public void reset() {
            count = -1;
        }
    }

    /** Whether {@link #locate} uses line and column at all (else the detector need not count lines). */
    boolean hasLocator() {
        return locator != null;
    }

    boolean isPaddedNumericCell(int start, int end) {
        for (int i = 0; i + 1 < paddedNumericCells.length; i += 2) {
            if (paddedNumericCells[i] == start && paddedNumericCells[i + 1] == end) {
                return true;
            }
        }
        return false;
    }

    /** Maps a line and cell to a location string. */
    @FunctionalInterface
    public interface CellLocator {
        String locate(int line, int column);
    }

    /**
     * Table layout of a segment.
     *
     * @param id        identifies one table across the chunks of a part (column rule A3)
     * @param delimiter cell separator: {@code ','}, {@code '\t'}, {@code ';'} or {@code '|'}
     * @param header    the header row (first line of the table) for chunks that no longer
     *                  contain it; {@code null} when the segment itself starts with the header
     *                  or the table has none
     * @param quoted    whether cells may be wrapped in double quotes (CSV)
     */
    public record Table(String id, char delimiter, String header, boolean quoted) {
    }

    public static final class Builder {
        private final String location;
        private final CharSequence text;
        private Table table;
        private int reportFrom;
        private int reportTo = -1;
        private int firstLine;
        private CellLocator locator;
        private int[] paddedNumericCells;
        private LineFeedCount lineFeeds;

        private Builder(String location, CharSequence text) {
            this.location = location;
            this.text = text;
        }

        public Builder table(Table table) {
            this.table = table;
            return this;
        }

        public Builder reportFrom(int reportFrom) {
            this.reportFrom = reportFrom;
            return this;
        }

        public Builder reportTo(int reportTo) {
            this.reportTo = reportTo;
            return this;
        }

        public Builder firstLine(int firstLine) {
            this.firstLine = firstLine;
            return this;
        }

        public Builder locator(CellLocator locator) {
            this.locator = locator;
            return this;
        }

        public Builder paddedNumericCells(int... ranges) {
            this.paddedNumericCells = ranges;
            return this;
        }

        public Builder lineFeeds(LineFeedCount into) {
            this.lineFeeds = into;
            return this;
        }

        public TextSegment build() {
            return new TextSegment(this);
        }
    }
}
