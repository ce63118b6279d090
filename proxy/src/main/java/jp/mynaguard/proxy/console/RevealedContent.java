package jp.mynaguard.proxy.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.mynaguard.policy.detect.TextSegment;
import jp.mynaguard.policy.extract.ContentExtractor;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.Limits;
import jp.mynaguard.policy.extract.SegmentSink;
import jp.mynaguard.policy.extract.Unscannable;

/**
 * The decoded text of a held message, part by part, exactly as the scanner saw it: the same
 * {@link ContentExtractor} reads subject, body and every attachment (archives and office files
 * included), so what a person with the reveal permission judges is what the policy judged.
 * Bounded by {@link ConsoleLimits#REVEAL_MAX_CHARS}; what did not fit is cut with a note.
 *
 * @param parts       location ({@code subject}, {@code body}, {@code attachment:name}) to text, in message order
 * @param unreadable  what the extractor could not read (encrypted, too deep...), as {@code location: reason}
 * @param truncated   whether text was cut at the limit
 */
record RevealedContent(Map<String, String> parts, List<String> unreadable, boolean truncated) {
    private static final ContentExtractor EXTRACTOR = new ContentExtractor(Limits.defaults());

    static RevealedContent read(InputStream raw, int maxChars) throws IOException {
        Collector c = new Collector(maxChars);
        EXTRACTOR.extract(Format.MESSAGE, "", null, raw, c);
        Map<String, String> parts = new LinkedHashMap<>();
        c.parts.forEach((k, v) -> parts.put(k, v.toString()));
        return new RevealedContent(parts, c.unreadable, c.truncated);
    }

    private static final class Collector implements SegmentSink {
        private final Map<String, StringBuilder> parts = new LinkedHashMap<>();
        private final List<String> unreadable = new ArrayList<>();
        private int left;
        private boolean truncated;

        Collector(int maxChars) {
            this.left = maxChars;
        }

        @Override
        public void segment(TextSegment s) {
            String location = s.location();
            // A chunked text repeats the overlap; each chunk's own share is [reportFrom, reportTo).
            CharSequence text = s.text().subSequence(s.reportFrom(), Math.max(s.reportFrom(), s.reportTo()));
            if (location.startsWith("attachment:") && text.toString().equals(fileName(location))) {
                return; // the extractor scans an attachment's name as text of its own
            }
            StringBuilder sb = parts.computeIfAbsent(location, k -> new StringBuilder());
            if (sb.length() > 0 && s.reportFrom() == 0) {
                sb.append('\n');
            }
            int n = Math.min(left, text.length());
            sb.append(text, 0, n);
            left -= n;
            if (n < text.length()) {
                truncated = true;
            }
        }

        @Override
        public void unscannable(Unscannable u) {
            unreadable.add(u.location() + ": " + u.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }

        private static String fileName(String location) {
            int slash = location.lastIndexOf('/');
            int colon = location.lastIndexOf(':');
            return location.substring(Math.max(slash, colon) + 1);
        }
    }
}
