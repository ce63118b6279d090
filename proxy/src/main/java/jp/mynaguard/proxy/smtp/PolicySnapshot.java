package jp.mynaguard.proxy.smtp;

import java.util.Objects;

import jp.mynaguard.policy.detect.Detector;
import jp.mynaguard.policy.extract.ContentExtractor;
import jp.mynaguard.policy.extract.Limits;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.scan.ContentScanner;

/**
 * The active policy and the scanner tuned by it (its extra keywords and negative words), swapped
 * together on reload so that one message is scanned and decided by the same policy.
 */
public record PolicySnapshot(Policy policy, ContentScanner scanner) {
    public PolicySnapshot {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(scanner, "scanner");
    }

    /** A scanner with the policy's detector settings and the default extraction limits. */
    public static PolicySnapshot of(Policy policy) {
        return new PolicySnapshot(policy, new ContentScanner(new Detector(policy.detector().toDetectorConfig()),
                new ContentExtractor(Limits.defaults())));
    }
}
