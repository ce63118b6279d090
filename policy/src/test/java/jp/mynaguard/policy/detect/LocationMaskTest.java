package jp.mynaguard.policy.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationMaskTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "attachment:名簿.xlsx/Sheet1!C7|attachment:名簿.xlsx/Sheet1!C7",
        "attachment:a.zip/b.csv:line 12|attachment:a.zip/b.csv:line 12",
        "attachment:272034422478.csv|attachment:************.csv",
        "attachment:2720-3442-2478.txt:line 3|attachment:****-****-****.txt:line 3",
        "file:２７２０３４４２２４７８.pdf/page 2|file:************.pdf/page 2",
        "form:note|form:note",
        "attachment:scan_2026_11.pdf|attachment:scan_2026_11.pdf",
    })
    void masksOnlyNumberLikeRuns(String in, String expected) {
        assertEquals(expected, LocationMask.mask(in));
    }

    @ParameterizedTest
    @CsvSource({"attachment:272034422478.csv"})
    void findingsAndUnscannablesCarryMaskedLocations(String location) {
        Finding f = new Finding(FindingType.MY_NUMBER, Level.HIGH, location, java.util.List.of("shape:S1"),
                "272034422478", 1);
        assertEquals("attachment:************.csv", f.location());
        assertEquals("attachment:************.csv",
                new jp.mynaguard.policy.extract.Unscannable(location,
                        jp.mynaguard.policy.extract.UnscannableReason.ENCRYPTED, "").location());
    }
}
