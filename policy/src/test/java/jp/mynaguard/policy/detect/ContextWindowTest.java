package jp.mynaguard.policy.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keyword windows count folded chars exactly as the reference model does (dropped chars, CRLF
 * and quote markers do not count). Expected levels were produced with detection_reference.py
 * ({@code null}: no finding).
 */
class ContextWindowTest {
    private static final String A = SpecCasesTest.A;
    private static final String ZW = "\u200b".repeat(50);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("keyword 294 before", "マイナンバー" + " ".repeat(294) + A, Level.HIGH),
                Arguments.of("keyword 295 before", "マイナンバー" + " ".repeat(295) + A, Level.LOW),
                Arguments.of("keyword 294 after", A + " ".repeat(294) + "マイナンバー", Level.HIGH),
                Arguments.of("keyword 295 after", A + " ".repeat(295) + "マイナンバー", Level.LOW),
                Arguments.of("dropped chars do not count", "マイナンバー" + ZW + " ".repeat(294) + A, Level.HIGH),
                Arguments.of("dropped chars do not help", "マイナンバー" + " ".repeat(295) + ZW + A, Level.LOW),
                Arguments.of("CRLF counts once", "マイナンバー" + "\r\n".repeat(294) + A, Level.HIGH),
                Arguments.of("CRLF counts once, too far", "マイナンバー" + "\r\n".repeat(295) + A, Level.LOW),
                Arguments.of("quote markers do not count",
                        "マイナンバー\n" + "> ".repeat(200) + "\n> " + " ".repeat(292) + A, Level.HIGH),
                Arguments.of("'>' inside a line counts", "マイナンバー\n> " + "x".repeat(293) + " " + A, Level.LOW),
                Arguments.of("half-width kana compose", "ﾏｲﾅﾝﾊﾞｰ" + " ".repeat(293) + A, Level.HIGH),
                Arguments.of("half-width kana, too far", "ﾏｲﾅﾝﾊﾞｰ" + " ".repeat(294) + A, Level.LOW),
                Arguments.of("zero-width inside keyword", "マイ\u200bナンバー " + A, Level.HIGH),
                Arguments.of("ASCII keyword is a whole word", "my numbers " + A, Level.LOW),
                Arguments.of("ASCII keyword inside a word", "xmynumber " + A, Level.LOW),
                Arguments.of("keyword with hyphen (field-name form, deliberate deviation from the reference)",
                        "My-Number " + A, Level.HIGH),
                Arguments.of("full-width upper case", "ＭＹ ＮＵＭＢＥＲ: " + A, Level.HIGH),
                Arguments.of("inner space removed", "my  num ber " + A, Level.HIGH),
                Arguments.of("after, over quoted lines", A + "\n> ".repeat(100) + "マイナンバー", Level.HIGH),
                Arguments.of("negative word 29 before", "tel" + " ".repeat(26) + A, null),
                Arguments.of("negative word 30 before", "tel" + " ".repeat(27) + A, null),
                Arguments.of("negative word too far", "tel" + " ".repeat(28) + A, Level.LOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void window(String name, String text, Level expected) {
        List<Finding> found = Detector.withDefaults().detect(text);
        if (expected == null) {
            assertEquals(List.of(), found, name);
            return;
        }
        assertEquals(1, found.size(), () -> name + ": " + found);
        assertEquals(expected, found.get(0).level(), name);
    }
}
