package jp.mynaguard.policy.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.Objects;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * State of extracting one input: the sink, the limits and what has been used of them (depth,
 * parts, decompressed bytes, time). Format extractors call back into it for nested content and
 * for text, so every limit is enforced in one place. Not thread-safe: one per input.
 */
public final class ExtractionContext {
    private final Limits limits;
    private final SegmentSink sink;
    private final FormatRegistry formats;
    private final long deadlineNanos;
    private int depth;
    private int parts;
    private long decompressed;
    private int tableIds;

    public ExtractionContext(Limits limits, SegmentSink sink, FormatRegistry formats) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.formats = Objects.requireNonNull(formats, "formats");
        Duration max = limits.maxTime();
        this.deadlineNanos = System.nanoTime() + max.toNanos();
    }

    public Limits limits() {
        return limits;
    }

    public int depth() {
        return depth;
    }

    /** @throws LimitExceededException ({@code timeout}) once the time per input is used up or the thread is interrupted */
    public void checkDeadline() throws LimitExceededException {
        if (timedOut()) {
            throw new LimitExceededException(UnscannableReason.TIMEOUT,
                    "took longer than " + limits.maxTime().toSeconds() + " s");
        }
    }

    /** Counts one more part, form field, archive entry or embedded file against the part limit. */
    public void countPart() throws LimitExceededException {
        if (++parts > limits.maxParts()) {
            throw new LimitExceededException(UnscannableReason.TOO_LARGE,
                    "more than " + limits.maxParts() + " parts");
        }
    }

    public void unscannable(String location, UnscannableReason reason, String detail) {
        // The top level of a message or request has the empty location; name it for people.
        sink.unscannable(new Unscannable(location.isEmpty() ? "input" : location, reason, detail));
    }

    /**
     * Extracts a nested file of the given name and/or content type, one level deeper. A limit
     * hit or broken content inside it becomes an {@link Unscannable} at {@code location}; the
     * caller carries on with its other parts. A timeout is passed up, since it ends the whole input.
     *
     * @param name        file name if known (used to pick the format), else {@code null}
     * @param contentType MIME type if known, else {@code null}
     */
    public void extractNested(String location, String name, String contentType, InputSource source)
            throws LimitExceededException {
        Format format;
        try {
            format = formats.detect(name, contentType, source);
        } catch (IOException e) {
            unscannable(location, UnscannableReason.MALFORMED, describe(e));
            return;
        }
        extractAs(format, location, source);
    }

    /** Like {@link #extractNested} when the format is already known (top-level mail or HTTP request). */
    public void extractAs(Format format, String location, InputSource source) throws LimitExceededException {
        checkDeadline();
        if (depth >= limits.maxDepth()) {
            unscannable(location, UnscannableReason.TOO_DEEP, "nested more than " + limits.maxDepth() + " levels");
            return;
        }
        depth++;
        try {
            formats.extractor(format).extract(this, location, source);
        } catch (LimitExceededException e) {
            if (e.reason() == UnscannableReason.TIMEOUT) {
                throw e;
            }
            unscannable(location, e.reason(), e.getMessage());
        } catch (InterruptedIOException e) {
            throw new LimitExceededException(UnscannableReason.TIMEOUT, "interrupted");
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (timedOut()) {
                // An interrupt from the scan watchdog surfaces as whatever the parser makes of it.
                throw new LimitExceededException(UnscannableReason.TIMEOUT, "interrupted");
            }
            // Broken or hostile content: the part is not inspected, which the policy must see.
            unscannable(location, UnscannableReason.MALFORMED, describe(e));
        } finally {
            depth--;
        }
    }

    private boolean timedOut() {
        return System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted();
    }

    /** Location of a child: {@code parent/child}, or {@code child} at the top. */
    public static String join(String parent, String child) {
        return parent == null || parent.isEmpty() ? child : parent + "/" + child;
    }

    /** A class name and the library's message, cut short; never content. */
    static String describe(Throwable e) {
        String msg = e.getMessage();
        String s = e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    /**
     * Wraps a decompressing stream so that its output counts against the per-input
     * decompressed-bytes budget and, past the grace size, against the compression ratio.
     *
     * @param compressedSize size of the compressed data if known, else {@code -1} (ratio not checked)
     */
    public InputStream guardDecompressed(InputStream inflated, long compressedSize) {
        return new FilterInputStream(inflated) {
            private long produced;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    produced += n;
                    account(n, produced, compressedSize);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
            }
        };
    }

    private void account(int n, long producedByStream, long compressedSize) throws IOException {
        decompressed += n;
        if (decompressed > limits.maxDecompressedBytes()) {
            throw new LimitExceededException(UnscannableReason.TOO_LARGE,
                    "decompresses to more than " + limits.maxDecompressedBytes() + " bytes");
        }
        if (compressedSize > 0 && producedByStream > limits.ratioGraceBytes()
                && producedByStream / compressedSize > limits.maxCompressionRatio()) {
            throw new LimitExceededException(UnscannableReason.COMPRESSION_RATIO,
                    "compression ratio above " + limits.maxCompressionRatio() + ":1");
        }
        checkDeadline();
    }

    /** A fresh id for a table (CSV file, sheet, HTML table) so the detector can keep column statistics. */
    public String newTableId() {
        return "t" + (++tableIds);
    }

    /** Emits running text. */
    public void emitText(String location, CharSequence text) throws IOException {
        emitText(location, new StringReader(text.toString()), null, null);
    }

    /**
     * Emits text read from {@code text} as one or more overlapping chunks of at most
     * {@link Limits#chunkChars()} characters, so memory stays bounded however long the text is.
     *
     * @param table   table layout (the header row is taken from the first line), or {@code null}
     * @param locator maps line/cell to a location, or {@code null} to report {@code location} itself
     */
    public void emitText(String location, Reader text, TextSegment.Table table, TextSegment.CellLocator locator)
            throws IOException {
        new TextChunker(this, limits.chunkChars(), limits.chunkOverlapChars())
                .run(location, text, table, locator);
    }

    /** Hands a ready segment to the sink (for extractors that build segments themselves, e.g. spreadsheets). */
    public void emit(TextSegment segment) throws LimitExceededException {
        checkDeadline();
        sink.segment(segment);
    }
}
