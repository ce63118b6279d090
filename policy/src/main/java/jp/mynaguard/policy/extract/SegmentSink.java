package jp.mynaguard.policy.extract;

import jp.mynaguard.policy.detect.TextSegment;

/** Receives what an extractor finds, in document order, as it streams. */
public interface SegmentSink {
    void segment(TextSegment segment);

    void unscannable(Unscannable unscannable);
}
