package jp.mynaguard.policy.scan;

import java.util.List;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;

/**
 * What one input (message, upload or file) contains: the distinct numbers found and the parts
 * that could not be inspected. Holds no digits except inside {@link Finding#revealValue()}.
 */
public record ScanReport(List<Finding> findings, List<Unscannable> unscannable) {
    public ScanReport {
        findings = List.copyOf(findings);
        unscannable = List.copyOf(unscannable);
    }

    /** Findings at or above {@code min}. */
    public List<Finding> findingsAtLeast(Level min) {
        return findings.stream().filter(f -> f.level().atLeast(min)).toList();
    }

    /** Highest level of any finding of the given type, or {@code null} when there is none. */
    public Level highest(FindingType type) {
        Level best = null;
        for (Finding f : findings) {
            if (f.type() == type && (best == null || f.level().compareTo(best) > 0)) {
                best = f.level();
            }
        }
        return best;
    }

    /** Whether this input needs attention at {@code min}: a finding at or above it, or anything unscannable. */
    public boolean flagged(Level min) {
        return !unscannable.isEmpty() || !findingsAtLeast(min).isEmpty();
    }
}
