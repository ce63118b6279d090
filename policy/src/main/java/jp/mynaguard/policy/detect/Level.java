package jp.mynaguard.policy.detect;

/** Confidence of a finding; declaration order is significance order (compare with {@link #compareTo}). */
public enum Level {
    LOW, MEDIUM, HIGH;

    /** Level for a clamped score 1..3 of the detection spec (§6.6); {@code null} for 0. */
    public static Level ofScore(int score) {
        return score <= 0 ? null : values()[Math.min(score, 3) - 1];
    }

    public boolean atLeast(Level other) {
        return compareTo(other) >= 0;
    }
}
