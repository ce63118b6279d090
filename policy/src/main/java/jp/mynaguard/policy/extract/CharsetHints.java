package jp.mynaguard.policy.extract;

import java.nio.charset.Charset;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The charset a container declared for a nested text file ({@code text/csv; charset=shift_jis}),
 * carried beside the {@link InputSource} because {@link ExtractionContext#extractNested} takes a
 * bare content type only for picking the format. The text extractors take the hint when the data
 * decodes cleanly with it, and sniff otherwise. Keys are held weakly (by identity, since
 * InputSource does not override equals), so a forgotten hint cannot leak.
 */
final class CharsetHints {
    private static final Map<InputSource, Charset> HINTS = Collections.synchronizedMap(new WeakHashMap<>());

    private CharsetHints() {
    }

    /** Declares {@code charset} for {@code source} (nothing when {@code null}). */
    static void put(InputSource source, Charset charset) {
        if (charset != null) {
            HINTS.put(source, charset);
        }
    }

    static Charset get(InputSource source) {
        return HINTS.get(source);
    }

    static void remove(InputSource source) {
        HINTS.remove(source);
    }
}
