package jp.mynaguard.policy.extract;

import jp.mynaguard.policy.detect.TextSegment;

/** Receives what an extractor finds, in document order, as it streams. */
public interface SegmentSink {
    /**
     * One segment of text. Its text may be a view of a buffer the extractor reuses for the next
     * segment: keep {@link TextSegment#detached()} when the segment must outlive this call.
     */
    void segment(TextSegment segment);

    void unscannable(Unscannable unscannable);
}
