package jp.mynaguard.policy.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The 57 test cases of detection.md §6.8; all numbers are synthetic (from the spec). */
class SpecCasesTest {
    static final String A = "272034422478";
    static final String B = "234860429951";
    static final String C = "828331756634";
    static final String D = "620009334490";
    static final String E = "205138760546";
    static final String A_BAD = "272034422472";
    static final String K1 = "9185781849503";
    static final String K2 = "7151975210995";
    static final String K3 = "6254103948469";
    static final String K_BAD = "1185781849503";
    static final String K_IMPL = "4825478136229";

    static final String MN = "MY_NUMBER";
    static final String CN = "CORPORATE_NUMBER";
    static final String IV = "INVOICE_REG_NO";
    static final String TR = "MY_NUMBER_TRUNCATED";

    private static final Detector DETECTOR = Detector.withDefaults();

    static String fw(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= '0' && c <= '9' ? (char) ('\uff10' + c - '0') : c);
        }
        return b.toString();
    }

    static String kj(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= '0' && c <= '9' ? "〇一二三四五六七八九".charAt(c - '0') : c);
        }
        return b.toString();
    }

    static String g(String s, String sep) {
        return s.substring(0, 4) + sep + s.substring(4, 8) + sep + s.substring(8);
    }

    static String f(String type, String value, String level) {
        return type + " " + value + " " + level;
    }

    static Arguments c(int id, String desc, TextSegment segment, String... expected) {
        return Arguments.of(id, desc, segment, List.of(expected));
    }

    static Arguments c(int id, String desc, String text, String... expected) {
        return c(id, desc, TextSegment.of("text", text), expected);
    }

    static Stream<Arguments> cases() {
        List<Arguments> l = new ArrayList<>();
        l.add(c(1, "keyword + contiguous", "マイナンバー: " + A, f(MN, A, "HIGH")));
        l.add(c(2, "keyword + 4-4-4 space", "個人番号 " + g(A, " "), f(MN, A, "HIGH")));
        l.add(c(3, "no keyword, 4-4-4 hyphen", g(B, "-") + " を確認", f(MN, B, "MEDIUM")));
        l.add(c(4, "no keyword, contiguous", "ID " + C + " です", f(MN, C, "LOW")));
        l.add(c(5, "bad check digit + keyword", "マイナンバー " + A_BAD));
        l.add(c(6, "full-width digits", "マイナンバー：" + fw(A), f(MN, A, "HIGH")));
        l.add(c(7, "full-width digits + U+3000", "個人番号\u3000" + fw(g(A, "\u3000")), f(MN, A, "HIGH")));
        l.add(c(8, "full-width hyphen-minus U+FF0D", g(B, "\uff0d"), f(MN, B, "MEDIUM")));
        l.add(c(9, "katakana long mark as dash", "マイナンバー " + g(B, "ー"), f(MN, B, "HIGH")));
        l.add(c(10, "minus sign U+2212", g(B, "\u2212"), f(MN, B, "MEDIUM")));
        l.add(c(11, "en dash U+2013", g(B, "\u2013"), f(MN, B, "MEDIUM")));
        l.add(c(12, "dots", g(B, "."), f(MN, B, "MEDIUM")));
        l.add(c(13, "mixed separators", B.substring(0, 4) + "-" + B.substring(4, 8) + " " + B.substring(8),
                f(MN, B, "LOW")));
        l.add(c(14, "line break inside + keyword",
                "マイナンバーは " + C.substring(0, 4) + " " + C.substring(4, 8) + "\n" + C.substring(8) + " です",
                f(MN, C, "HIGH")));
        l.add(c(15, "hard wrap mid-number + keyword", "個人番号:" + C.substring(0, 7) + "\n" + C.substring(7),
                f(MN, C, "HIGH")));
        l.add(c(16, "quoted reply wrap", "> マイナンバー " + C.substring(0, 6) + "\n> " + C.substring(6),
                f(MN, C, "HIGH")));
        l.add(c(17, "zero-width space inside", "マイナンバー " + A.substring(0, 6) + "\u200b" + A.substring(6),
                f(MN, A, "HIGH")));
        l.add(c(18, "HTML 3 cells (tag-stripped to TAB)", "個人番号\t" + g(D, "\t"), f(MN, D, "HIGH")));
        l.add(c(19, "12 one-digit cells (TSV)", "マイナンバー\t" + String.join("\t", D.split("")),
                f(MN, D, "HIGH")));
        l.add(c(20, "CSV column with header", "氏名,マイナンバー\n山田," + E + "\n", f(MN, E, "HIGH")));
        l.add(c(21, "CSV, no keyword", "name,id\nyamada," + E + "\n", f(MN, E, "LOW")));
        l.add(c(22, "kanji numerals + keyword", "個人番号 " + kj(A), f(MN, A, "MEDIUM")));
        l.add(c(23, "kanji numerals, no keyword", "番号は" + kj(A)));
        l.add(c(24, "13-digit run contains valid 12", "番号 1" + A));
        l.add(c(25, "16-digit card 4-4-4-4", "カード 4111 1111 1111 1111"));
        l.add(c(26, "card w/o spaces", "4111111111111111"));
        l.add(c(27, "JP mobile", "携帯 090-1234-5678"));
        l.add(c(28, "E.164 phone", "+819012345678"));
        l.add(c(29, "bank account 7 digits", "口座番号 1234567"));
        l.add(c(30, "postal code", "〒100-0013 東京都"));
        l.add(c(31, "timestamp (invalid cd)", "日時 202611270930"));
        l.add(c(32, "timestamp (valid cd, date-like)", "created 202611270005"));
        l.add(c(33, "order id date+seq (valid cd)", "注文番号 202610160001"));
        l.add(c(34, "order id in URL", "https://shop.example/o/202610160001"));
        l.add(c(35, "alnum token", "ORD" + A));
        l.add(c(36, "Yamato tracking 4-4-4 (valid cd)", "お問い合わせ伝票番号 1623-9824-0804",
                f(MN, "162398240804", "LOW")));
        l.add(c(37, "driver licence 12 digits (valid cd)", "運転免許証番号 301203337230"));
        l.add(c(38, "repdigit passes checksum", "マイナンバー 000000000000"));
        l.add(c(39, "corporate + keyword", "法人番号 " + K1, f(CN, K1, "HIGH")));
        l.add(c(40, "corporate 1-4-4-4",
                K2.charAt(0) + "-" + K2.substring(1, 5) + "-" + K2.substring(5, 9) + "-" + K2.substring(9),
                f(CN, K2, "MEDIUM")));
        l.add(c(41, "corporate contiguous", "取引先 " + K3, f(CN, K3, "LOW")));
        l.add(c(42, "corporate bad cd + keyword", "法人番号 " + K_BAD));
        l.add(c(43, "invoice reg no T+13", "登録番号 T" + K1, f(IV, K1, "LOW")));
        l.add(c(44, "JAN 49.. passes corp cd", "JAN 4972860676014"));
        l.add(c(45, "JAN 45.. passes corp cd, no ctx", "4503089444568", f(CN, "4503089444568", "LOW")));
        l.add(c(46, "corporate, implausible base", K_IMPL));
        l.add(c(47, "two numbers", "マイナンバー " + A + " / " + g(B, " "), f(MN, A, "HIGH"), f(MN, B, "HIGH")));
        l.add(c(48, "My Number + corporate together", "個人番号 " + C + " 法人番号 " + K1,
                f(CN, K1, "HIGH"), f(MN, C, "HIGH")));
        l.add(c(49, "会社法人等番号 4-2-6 (registry no.)", "会社法人等番号 0100-01-042445"));
        l.add(c(50, "会社法人等番号 contiguous (valid cd)", "会社法人等番号 010001424454"));
        l.add(c(51, "negative word inside keyword", "マイナンバーカード番号 " + A, f(MN, A, "HIGH")));
        l.add(c(52, "ASCII negative word is whole-word only", "I mean " + g(B, " "), f(MN, B, "MEDIUM")));
        l.add(c(53, "negative word on previous line ignored", "電話,マイナンバー\n0312345678," + A,
                f(MN, A, "HIGH")));
        l.add(c(54, "keyword with inner space / half-width kana", "ﾏｲ ﾅﾝﾊﾞｰ " + A, f(MN, A, "HIGH")));
        // S5: the spreadsheet extractor pads the 11-digit numeric cell 53696061579 to 12 digits and marks it
        String s5 = "マイナンバー\n053696061579";
        l.add(c(55, "S5 XLSX numeric cell, leading 0 lost", TextSegment.builder("text", s5)
                .table(new TextSegment.Table("sheet1", '\t', null, false))
                .paddedNumericCells(s5.indexOf('\n') + 1, s5.length()).build(),
                f(MN, "053696061579", "MEDIUM")));
        l.add(c(56, "S6 scientific notation + keyword", "マイナンバー,2.72034E+11", f(TR, "2.72034e+11", "MEDIUM")));
        l.add(c(57, "S6 scientific notation, no keyword", "price,2.72034E+11"));
        return l.stream();
    }

    static List<Finding> scan(TextSegment segment) {
        FindingCollector collector = new FindingCollector();
        DETECTOR.scan(segment, collector);
        return collector.finish();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void specCase(int id, String desc, TextSegment segment, List<String> expected) {
        List<Finding> found = scan(segment);
        Set<String> got = new TreeSet<>();
        for (Finding x : found) {
            got.add(f(x.type().name(), x.revealValue(), x.level().name()));
        }
        assertEquals(new TreeSet<>(expected), got);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void noDigitsInToStringReasonsOrMask(int id, String desc, TextSegment segment, List<String> expected) {
        for (Finding x : scan(segment)) {
            String v = x.revealValue();
            String digits = v.replaceAll("[^0-9]", "");
            String last4 = digits.substring(digits.length() - 4);
            for (String shown : List.of(x.toString(), String.join(" ", x.reasons()), x.masked(), x.location())) {
                assertFalse(shown.contains(v), () -> "value shown in case " + id);
                assertFalse(shown.contains(last4), () -> "last digits shown in case " + id);
            }
            assertFalse(x.masked().matches(".*[0-9].*"), "masked form has a digit");
        }
    }
}
