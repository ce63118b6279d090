package jp.mynaguard.policy.extract;

import java.io.IOException;

/**
 * Thrown inside the extractor when a {@link Limits} value is hit or content is unreadable; the
 * extractor turns it into an {@link Unscannable} for the part concerned and carries on with the
 * rest. The message names the limit, never content.
 */
public final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;
    private final UnscannableReason reason;

    public LimitExceededException(UnscannableReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public UnscannableReason reason() {
        return reason;
    }
}
