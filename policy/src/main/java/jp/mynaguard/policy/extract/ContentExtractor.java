package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Entry point of content extraction: turns a raw message, a raw HTTP request or a bare file into
 * text segments and unscannable records on a {@link SegmentSink}. Stateless and thread-safe; each
 * call gets its own {@link ExtractionContext}.
 */
public final class ContentExtractor {
    private final Limits limits;
    private final FormatRegistry formats;

    public ContentExtractor(Limits limits) {
        this(limits, FormatRegistry.defaults());
    }

    public ContentExtractor(Limits limits, FormatRegistry formats) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.formats = Objects.requireNonNull(formats, "formats");
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Extracts one input.
     *
     * @param format   the format when the caller knows it ({@link Format#MESSAGE} for SMTP DATA,
     *                 {@link Format#HTTP_REQUEST} for an upload), else {@code null} to detect it
     * @param location location prefix of everything found: {@code ""} for a message or request,
     *                 the file name for a bare file
     * @param name     file name used to pick the format, or {@code null}
     */
    public void extract(Format format, String location, String name, InputSource source, SegmentSink sink) {
        ExtractionContext ctx = new ExtractionContext(limits, sink, formats);
        try {
            if (format != null) {
                ctx.extractAs(format, location, source);
            } else {
                ctx.extractNested(location, name, null, source);
            }
        } catch (LimitExceededException e) {
            sink.unscannable(new Unscannable(location.isEmpty() ? "input" : location, e.reason(), e.getMessage()));
        }
    }

    /** Spools {@code in} (in memory up to the spool threshold, else to a temporary file) and extracts it. */
    public void extract(Format format, String location, String name, InputStream in, SegmentSink sink)
            throws IOException {
        try (InputSource source = InputSource.spool(in, limits.spoolThresholdBytes(), Long.MAX_VALUE)) {
            extract(format, location, name, source, sink);
        }
    }
}
