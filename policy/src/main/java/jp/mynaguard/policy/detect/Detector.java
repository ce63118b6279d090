package jp.mynaguard.policy.detect;

import java.nio.CharBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Finds Individual Numbers (マイナンバー), Corporate Numbers and invoice registration numbers in
 * decoded text, as specified in {@code research/detection.md} §6.
 *
 * <p>Immutable and thread-safe: all scan state lives in a per-call {@link SegmentScan}. The cost
 * is one bit test per char except around digit clusters; strings, normalisation and keyword
 * search happen only for candidates that passed their check digit.
 */
public final class Detector {
    private static final Detector DEFAULT = new Detector(DetectorConfig.defaults());
    /**
     * Per thread, the char array of the last scan, reused when the next text has the same length:
     * extractors cut long text into chunks of one size, and a fresh array per chunk costs more
     * than the copy itself (zeroing, GC). Exact length only, so {@code a.length} stays the text
     * length everywhere; texts above {@link #MAX_REUSED} chars are not kept.
     */
    private static final ThreadLocal<char[]> BUFFER = new ThreadLocal<>();
    private static final int MAX_REUSED = 1 << 20;

    private final DetectorConfig config;
    private final ContextScorer context;

    public Detector(DetectorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = new ContextScorer(config);
    }

    public static Detector withDefaults() {
        return DEFAULT;
    }

    public DetectorConfig config() {
        return config;
    }

    /** Scans one segment; findings and table-column statistics go to the collector. Thread-safe. */
    public void scan(TextSegment segment, FindingCollector into) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(into, "into");
        new SegmentScan(segment, chars(segment.text()), into, context).run();
    }

    /** {@link #scan} with the given loop, for tests that compare them. */
    void scan(TextSegment segment, FindingCollector into, SegmentScan.Loop loop) {
        new SegmentScan(segment, chars(segment.text()), into, context, loop).run();
    }

    /** Convenience for tests and one-off text: one segment at location "text", then collector.finish(). */
    public List<Finding> detect(CharSequence text) {
        FindingCollector collector = new FindingCollector();
        scan(TextSegment.of("text", text), collector);
        return collector.finish();
    }

    /**
     * The text as an array of exactly its length: the extractor's chunk buffer itself when the
     * segment wraps all of it (every full chunk of a long text), else one copy per segment, since
     * array access beats {@code CharSequence.charAt} in the scan loop.
     */
    private static char[] chars(CharSequence text) {
        int n = text.length();
        if (text instanceof CharBuffer) {
            CharBuffer cb = (CharBuffer) text;
            if (cb.hasArray() && cb.arrayOffset() == 0 && cb.position() == 0 && cb.array().length == n) {
                return cb.array();
            }
        }
        char[] a = BUFFER.get();
        if (a == null || a.length != n) {
            a = new char[n];
            if (n <= MAX_REUSED) {
                BUFFER.set(a);
            }
        }
        if (text instanceof String) {
            ((String) text).getChars(0, n, a, 0);
        } else if (text instanceof CharBuffer) {
            ((CharBuffer) text).duplicate().get(a);
        } else if (text instanceof StringBuilder) {
            ((StringBuilder) text).getChars(0, n, a, 0);
        } else {
            for (int i = 0; i < n; i++) {
                a[i] = text.charAt(i);
            }
        }
        return a;
    }
}
