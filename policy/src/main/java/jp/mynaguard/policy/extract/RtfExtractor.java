package jp.mynaguard.policy.extract;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An RTF document as running text at {@code <location>} (see {@link RtfText}). */
final class RtfExtractor implements FormatExtractor {
    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        try (InputStream in = new BufferedInputStream(source.openStream());
                RtfText text = new RtfText(ctx, in)) {
            ctx.emitText(location, text, null, null);
        }
    }
}
