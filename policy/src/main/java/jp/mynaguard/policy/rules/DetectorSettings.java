package jp.mynaguard.policy.rules;

import java.util.List;
import java.util.Objects;

import jp.mynaguard.policy.detect.DetectorConfig;
import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.Level;

/**
 * The detector settings an admin may tune in the policy ({@code detector:}). Keywords go to the
 * detector's configuration when the gateway builds it; {@link #minLevel()} and the allow-listed
 * shapes are applied by the engine to the findings before any rule looks at them.
 *
 * @param minLevel          findings below this level do not count for any rule
 * @param myNumberKeywords  extra words that raise confidence of a nearby 12-digit number
 * @param corporateKeywords extra words for Corporate Numbers
 * @param negativeWords     extra words that lower confidence (e.g. an in-house ID name)
 * @param allow             shapes of numbers that never count (dummy numbers in templates)
 */
public record DetectorSettings(Level minLevel, List<String> myNumberKeywords, List<String> corporateKeywords,
                               List<String> negativeWords, List<AllowShape> allow) {
    public static final DetectorSettings DEFAULTS =
            new DetectorSettings(Level.LOW, List.of(), List.of(), List.of(), List.of());

    public DetectorSettings {
        Objects.requireNonNull(minLevel, "minLevel");
        myNumberKeywords = List.copyOf(myNumberKeywords);
        corporateKeywords = List.copyOf(corporateKeywords);
        negativeWords = List.copyOf(negativeWords);
        allow = List.copyOf(allow);
    }

    /** The detector configuration: the built-in keywords plus the policy's extra ones. */
    public DetectorConfig toDetectorConfig() {
        return DetectorConfig.builder()
                .addMyNumberKeywords(myNumberKeywords.toArray(new String[0]))
                .addCorporateKeywords(corporateKeywords.toArray(new String[0]))
                .addNegativeWords(negativeWords.toArray(new String[0]))
                .build();
    }

    /** Whether a finding counts for the rules: at or above the minimum level and not allow-listed. */
    public boolean counts(Finding finding) {
        if (!finding.level().atLeast(minLevel)) {
            return false;
        }
        for (AllowShape shape : allow) {
            if (shape.matches(finding)) {
                return false;
            }
        }
        return true;
    }
}
