package jp.mynaguard.policy.extract;

/** Why part of an input could not be inspected. The policy acts on it (fail closed). */
public enum UnscannableReason {
    ENCRYPTED("encrypted"),
    TOO_DEEP("too-deep"),
    TOO_LARGE("too-large"),
    COMPRESSION_RATIO("compression-ratio"),
    TIMEOUT("timeout"),
    MALFORMED("malformed");

    private final String label;

    UnscannableReason(String label) {
        this.label = label;
    }

    /** The word used in output, audit records and policies, e.g. {@code too-deep}. */
    public String label() {
        return label;
    }

    public static UnscannableReason ofLabel(String label) {
        for (UnscannableReason r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown unscannable reason: " + label);
    }

    @Override
    public String toString() {
        return label;
    }
}
