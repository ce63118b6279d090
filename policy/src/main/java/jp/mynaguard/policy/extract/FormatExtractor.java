package jp.mynaguard.policy.extract;

import java.io.IOException;

/**
 * Extracts the text of one file format. Nested files (an attachment, a zip entry, the sheet
 * XML inside an xlsx when it is itself a zip) go back through
 * {@link ExtractionContext#extractNested}, which counts depth and applies the limits.
 */
@FunctionalInterface
public interface FormatExtractor {
    /**
     * @param ctx      limits, sink, budgets and nested dispatch for this input
     * @param location where this file sits, e.g. {@code attachment:a.zip/b.xlsx}
     * @param source   its bytes
     * @throws LimitExceededException when a limit is hit (the caller records it as unscannable)
     * @throws IOException            when the content is broken (recorded as {@code malformed})
     */
    void extract(ExtractionContext ctx, String location, InputSource source) throws IOException;
}
