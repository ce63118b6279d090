package jp.mynaguard.policy.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** ASCII keywords as HR exports, JSON APIs and forms write them (synthetic numbers from the spec). */
class FieldNameKeywordsTest {
    private final Detector detector = Detector.withDefaults();

    @ParameterizedTest
    @ValueSource(strings = {"my_number: 828331756634", "\"myNumber\": \"828331756634\"", "kojin_bango=828331756634",
            "individual-number,828331756634", "MyNumber 828331756634", "kojin-bango: 828331756634"})
    void myNumberFieldNamesAreKeywords(String text) {
        List<Finding> f = detector.detect(text);
        assertEquals(1, f.size(), f.toString());
        assertEquals(Level.HIGH, f.get(0).level(), f.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"corporate_number: 9185781849503", "\"corporateNumber\": \"9185781849503\"",
            "houjin-bango 9185781849503"})
    void corporateFieldNamesAreKeywords(String text) {
        List<Finding> f = detector.detect(text);
        assertEquals(1, f.size(), f.toString());
        assertEquals(FindingType.CORPORATE_NUMBER, f.get(0).type());
        assertEquals(Level.HIGH, f.get(0).level(), f.toString());
    }

    @Test
    void wholeWordsStill() {
        // "summy_numbers" is not "my_number"
        assertEquals(Level.LOW, detector.detect("summy_numbers 828331756634").get(0).level());
    }

    @Test
    void addedKeywordsGetTheFormsToo() {
        DetectorConfig c = DetectorConfig.builder().addMyNumberKeywords("staff tax id").build();
        assertTrue(c.myNumberKeywords().containsAll(List.of("staff tax id", "stafftaxid", "staff_tax_id", "staff-tax-id")));
        assertEquals(Level.HIGH, new Detector(c).detect("staff_tax_id 828331756634").get(0).level());
    }
}
