package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.detect.DetectorConfig;
import jp.mynaguard.policy.detect.Level;

/** The detector settings of a policy reach the detector's configuration. */
class DetectorSettingsTest {
    @TempDir
    Path dir;

    @Test
    void extraKeywordsAreAddedToTheBuiltInOnes() {
        Policy p = TestPolicies.loadOk(TestPolicies.write(dir, "p.yaml", """
                version: 1
                detector:
                  min_level: medium
                  my_number_keywords: [個人番号通知]
                  corporate_keywords: [取引先法人番号]
                  negative_words: [社員番号]
                default: allow
                """));
        assertEquals(Level.MEDIUM, p.detector().minLevel());
        DetectorConfig c = p.detector().toDetectorConfig();
        assertTrue(c.myNumberKeywords().containsAll(DetectorConfig.DEFAULT_MY_NUMBER_KEYWORDS));
        assertTrue(c.myNumberKeywords().contains("個人番号通知"));
        assertTrue(c.corporateKeywords().contains("取引先法人番号"));
        assertTrue(c.negativeWords().contains("社員番号"));
        assertEquals(List.of(), DetectorSettings.DEFAULTS.allow());
    }
}
