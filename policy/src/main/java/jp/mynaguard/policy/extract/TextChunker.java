package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.Reader;
import java.nio.CharBuffer;
import java.util.Arrays;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * Cuts a text stream into overlapping segments. Chunk {@code i} reports candidates that start in
 * its middle: from half the overlap after its start (the previous chunk reported those) to half
 * the overlap before its end (the next chunk sees them with full context on both sides). With
 * the default 2048-char overlap that leaves 1024 characters each side, more than the 300-char
 * keyword window of the detector.
 */
final class TextChunker {
    /** Longest header row kept as column context for later chunks of a table. */
    static final int MAX_HEADER_CHARS = 16 * 1024;
    /**
     * First size of the chunk buffer, which doubles up to the chunk size as text keeps coming.
     * Most texts (a subject, a mail body, a file name) are far shorter than a chunk: a full
     * chunk buffer each time was half a megabyte to allocate and zero per text, the largest
     * cost of relaying a small message.
     */
    static final int INITIAL_BUFFER_CHARS = 8 * 1024;

    private final ExtractionContext ctx;
    private final int chunkChars;
    private final int overlap;
    private char[] buf;
    /**
     * Line feeds of each chunk's reported range, from the detector, which passes every char of
     * it anyway: a separate pass over every chunk here cost a third of scanning a long text.
     */
    private final TextSegment.LineFeedCount lineFeeds = new TextSegment.LineFeedCount();

    TextChunker(ExtractionContext ctx, int chunkChars, int overlap) {
        this.ctx = ctx;
        this.chunkChars = chunkChars;
        this.overlap = overlap;
    }

    void run(String location, Reader in, TextSegment.Table table, TextSegment.CellLocator locator)
            throws IOException {
        run(location, in, table, locator, null);
    }

    /**
     * Like {@link #run(String, Reader, TextSegment.Table, TextSegment.CellLocator)}, also handing
     * each chunk the padded numeric cells (spreadsheets) that lie in it.
     */
    void run(String location, Reader in, TextSegment.Table table, TextSegment.CellLocator locator,
            PaddedCells padded) throws IOException {
        buf = new char[Math.min(chunkChars, INITIAL_BUFFER_CHARS)];
        int len = fill(in, 0);
        int firstLine = 0;
        boolean first = true;
        String header = null;
        long start = 0;
        long linesBeforeReportTo = 0;
        while (true) {
            ctx.checkDeadline();
            boolean last = len < chunkChars || !hasMore(in);
            // A view, not a copy: the sink is done with the segment before the buffer is refilled.
            CharBuffer text = CharBuffer.wrap(buf, 0, len);
            if (first && table != null) {
                header = headerOf(buf, len);
            }
            int reportFrom = first ? 0 : overlap / 2;
            int reportTo = last ? len : len - overlap / 2;
            lineFeeds.reset();
            TextSegment.Builder b = TextSegment.builder(location, text)
                    .firstLine(firstLine)
                    .reportFrom(reportFrom)
                    .reportTo(reportTo)
                    .locator(locator)
                    .lineFeeds(lineFeeds);
            if (padded != null) {
                b.paddedNumericCells(padded.between(start, start + len));
            }
            if (table != null) {
                b.table(first ? table : new TextSegment.Table(table.id(), table.delimiter(), header, table.quoted()));
            }
            ctx.emit(b.build());
            if (last) {
                return;
            }
            int keep = overlap;
            // Reported ranges tile the text, so their line feeds add up to those before this
            // chunk's reportTo; the next chunk starts `keep` chars before its end.
            int reported = lineFeeds.get() >= 0 ? lineFeeds.get() : countLines(buf, reportFrom, reportTo);
            linesBeforeReportTo += reported;
            firstLine = (int) (linesBeforeReportTo - countLines(buf, len - keep, reportTo));
            start += len - keep;
            System.arraycopy(buf, len - keep, buf, 0, keep);
            len = fill(in, keep);
            first = false;
        }
    }

    /** Where spreadsheet extractors keep the numeric cells they left-padded (shape S5). */
    interface PaddedCells {
        /**
         * Start/end pairs of the padded cells lying wholly in {@code [from, to)} of the whole
         * text, relative to {@code from}. Chunks only move forward, so ranges ending before
         * {@code from} may be forgotten.
         */
        int[] between(long from, long to);
    }

    private int pushedBack = -2;

    /** Whether the reader has at least one more char; the char is kept for the next fill. */
    private boolean hasMore(Reader in) throws IOException {
        if (pushedBack == -2) {
            pushedBack = in.read();
        }
        return pushedBack >= 0;
    }

    /** Reads until the chunk is full or the text ends, growing the buffer on the way; returns the chunk length. */
    private int fill(Reader in, int off) throws IOException {
        int len = off;
        if (pushedBack >= 0 && len < chunkChars) {
            grow(len + 1);
            buf[len++] = (char) pushedBack;
        }
        pushedBack = -2;
        while (len < chunkChars) {
            grow(len + 1);
            int n = in.read(buf, len, buf.length - len);
            if (n <= 0) {
                break;
            }
            len += n;
        }
        return len;
    }

    private void grow(int needed) {
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(chunkChars, Math.max(needed, buf.length * 2L)));
        }
    }

    private static int countLines(char[] buf, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String headerOf(char[] buf, int len) {
        int end = 0;
        while (end < len && end < MAX_HEADER_CHARS && buf[end] != '\n') {
            end++;
        }
        return new String(buf, 0, end);
    }
}
