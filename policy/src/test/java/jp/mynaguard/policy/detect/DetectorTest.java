package jp.mynaguard.policy.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Behaviour beyond the §6.8 table: locations, tables, aggregation, chunks, configuration. */
class DetectorTest {
    private static final Detector DETECTOR = Detector.withDefaults();
    private static final TextSegment.CellLocator LINE_COLUMN = (line, column) -> "L" + line + "C" + column;

    /** A synthetic My Number: 11 base digits from {@code seed} plus the check digit. */
    static String myNumber(long seed) {
        String base = String.format("%011d", Math.floorMod(seed * 7919L + 12345L, 100_000_000_000L));
        int[] w = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (base.charAt(i) - '0') * w[i];
        }
        int r = sum % 11;
        return base + (r <= 1 ? 0 : 11 - r);
    }

    /** Same base, wrong check digit. */
    static String invalid(String valid) {
        char last = valid.charAt(11);
        return valid.substring(0, 11) + (char) ('0' + (last - '0' + 5) % 10);
    }

    static List<Finding> scan(TextSegment... segments) {
        FindingCollector c = new FindingCollector();
        for (TextSegment s : segments) {
            DETECTOR.scan(s, c);
        }
        return c.finish();
    }

    static Finding only(List<Finding> found) {
        assertEquals(1, found.size(), () -> "findings: " + found);
        return found.get(0);
    }

    static String csv(String header, List<String> values) {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (int i = 0; i < values.size(); i++) {
            b.append("name").append(i).append(',').append(values.get(i)).append('\n');
        }
        return b.toString();
    }

    static boolean isValid(String twelve) {
        byte[] d = new byte[12];
        for (int i = 0; i < 12; i++) {
            d[i] = (byte) (twelve.charAt(i) - '0');
        }
        return CheckDigits.myNumber(d, 0);
    }

    @Test
    void generatedNumbersAreValid() {
        for (int i = 0; i < 100; i++) {
            assertTrue(isValid(myNumber(i)));
            assertFalse(isValid(invalid(myNumber(i))));
        }
        assertTrue(isValid(SpecCasesTest.A));
    }

    @Test
    void lineAndColumnOfTextSegment() {
        String text = "first line\nsecond\r\nthird " + SpecCasesTest.A + "\n";
        Finding f = only(scan(TextSegment.builder("body", text).firstLine(10).locator(LINE_COLUMN).build()));
        assertEquals("L12C-1", f.location());
    }

    @Test
    void lineAndColumnOfTableHonourQuotes() {
        String text = "a,b,c\n\"x,y\",\"q\"\"r\"," + SpecCasesTest.A + "\n";
        TextSegment s = TextSegment.builder("t.csv", text).locator(LINE_COLUMN)
                .table(new TextSegment.Table("t", ',', null, true)).build();
        assertEquals("L1C2", only(scan(s)).location());
        TextSegment unquoted = TextSegment.builder("t.csv", text).locator(LINE_COLUMN)
                .table(new TextSegment.Table("t", ',', null, false)).build();
        assertEquals("L1C3", only(scan(unquoted)).location());
    }

    @Test
    void firstLocationKeptAndOccurrencesCounted() {
        String text = "x " + SpecCasesTest.A + "\ny\nマイナンバー " + SpecCasesTest.A + "\n";
        Finding f = only(scan(TextSegment.builder("body", text).locator(LINE_COLUMN).build()));
        assertEquals(Level.HIGH, f.level());
        assertEquals("L0C-1", f.location());
        assertEquals(2, f.occurrences());
    }

    @Test
    void headerKeywordReachesRowsFarFromTheHeader() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // every third number invalid, so the column rule (A3) cannot be what makes them HIGH
            values.add(i % 3 == 0 ? invalid(myNumber(i)) : myNumber(i));
        }
        String text = csv("氏名,個人番号", values);
        TextSegment s = TextSegment.builder("roster.csv", text).locator(LINE_COLUMN)
                .table(new TextSegment.Table("roster", ',', null, false)).build();
        List<Finding> found = scan(s);
        assertEquals(133, found.size());
        for (Finding f : found) {
            assertEquals(Level.HIGH, f.level(), f::toString);
            assertTrue(f.reasons().contains("header:個人番号") || f.reasons().contains("keyword:個人番号"),
                    f::toString);
        }
        assertTrue(found.get(100).reasons().contains("header:個人番号"));
        Finding row200 = found.get(found.size() - 1);
        assertEquals("L200C1", row200.location());
        assertEquals(values.get(199), row200.revealValue());
    }

    @Test
    void headerFromTableForLaterChunks() {
        String text = "name0," + SpecCasesTest.A + "\n";
        TextSegment s = TextSegment.builder("roster.csv", text)
                .table(new TextSegment.Table("roster", ',', "氏名,\"マイナンバー\"", true)).build();
        Finding f = only(scan(s));
        assertEquals(Level.HIGH, f.level());
        assertTrue(f.reasons().contains("header:マイナンバー"));
    }

    @Test
    void headerOfAnotherColumnDoesNotCount() {
        String text = "個人番号,memo\n" + "x,id " + SpecCasesTest.A + "\n";
        TextSegment s = TextSegment.builder("t.csv", text).table(new TextSegment.Table("t", ',', null, false))
                .build();
        // the window still sees 個人番号 (within 300 chars), so disable the window to test the header alone
        Detector narrow = new Detector(DetectorConfig.builder().positiveWindow(0).build());
        FindingCollector c = new FindingCollector();
        narrow.scan(s, c);
        assertEquals(Level.LOW, only(c.finish()).level());
    }

    @Test
    void twoMediumNumbersBecomeHigh() {
        String text = "2348-6042-9951 と 1563-1219-1016";
        List<Finding> found = DETECTOR.detect(text);
        assertEquals(2, found.size());
        for (Finding f : found) {
            assertEquals(Level.HIGH, f.level());
            assertTrue(f.reasons().contains("A2"));
        }
        Finding single = only(DETECTOR.detect("2348-6042-9951"));
        assertEquals(Level.MEDIUM, single.level());
        // LOW findings do not count for A2
        assertEquals(List.of(Level.MEDIUM, Level.LOW), levels(DETECTOR.detect("2348-6042-9951 と ID 156312191016")));
    }

    private static List<Level> levels(List<Finding> found) {
        List<Level> l = new ArrayList<>();
        for (Finding f : found) {
            l.add(f.level());
        }
        return l;
    }

    @Test
    void columnRuleMakesAValidColumnHigh() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            values.add(myNumber(100 + i));
        }
        values.add(invalid(myNumber(200))); // 9 of 10 valid = 90 %
        TextSegment s = TextSegment.builder("ids.csv", csv("name,id", values))
                .table(new TextSegment.Table("ids", ',', null, false)).build();
        List<Finding> found = scan(s);
        assertEquals(9, found.size());
        for (Finding f : found) {
            assertEquals(Level.HIGH, f.level(), f::toString);
            assertTrue(f.reasons().contains("column-rule"));
        }
    }

    @Test
    void columnRuleNeedsEnoughValidValues() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            values.add(myNumber(300 + i));
        }
        values.add(invalid(myNumber(400)));
        values.add(invalid(myNumber(401))); // 8 of 10 = 80 %
        TextSegment s = TextSegment.builder("ids.csv", csv("name,id", values))
                .table(new TextSegment.Table("ids", ',', null, false)).build();
        for (Finding f : scan(s)) {
            assertEquals(Level.LOW, f.level(), f::toString);
        }
        // four valid values are too few
        TextSegment few = TextSegment.builder("ids.csv", csv("name,id", values.subList(0, 4)))
                .table(new TextSegment.Table("ids2", ',', null, false)).build();
        for (Finding f : scan(few)) {
            assertEquals(Level.LOW, f.level(), f::toString);
        }
    }

    @Test
    void columnRuleAggregatesChunksOfOneTable() {
        TextSegment.Table table = new TextSegment.Table("big", ',', "name,id", false);
        List<TextSegment> chunks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String text = "name" + i + "," + myNumber(500 + i) + "\n";
            chunks.add(TextSegment.builder("big.csv", text).table(table).firstLine(i + 1).build());
        }
        List<Finding> found = scan(chunks.toArray(new TextSegment[0]));
        assertEquals(6, found.size());
        for (Finding f : found) {
            assertEquals(Level.HIGH, f.level(), f::toString);
        }
        // the same values in separate tables stay LOW
        FindingCollector c = new FindingCollector();
        for (int i = 0; i < 6; i++) {
            DETECTOR.scan(TextSegment.builder("f" + i, "name," + myNumber(500 + i) + "\n")
                    .table(new TextSegment.Table("t" + i, ',', "name,id", false)).build(), c);
        }
        for (Finding f : c.finish()) {
            assertEquals(Level.LOW, f.level());
        }
    }

    @Test
    void overlapBeforeReportFromIsContextOnly() {
        String first = "ID " + SpecCasesTest.C + " ";
        String text = first + "マイナンバー " + SpecCasesTest.A;
        TextSegment chunk = TextSegment.builder("body", text).reportFrom(first.length()).build();
        Finding f = only(scan(chunk));
        assertEquals(SpecCasesTest.A, f.revealValue());
        // a keyword inside the overlap still counts as context
        String text2 = "マイナンバー " + "x ".repeat(25) + SpecCasesTest.A;
        TextSegment chunk2 = TextSegment.builder("body", text2).reportFrom(20).build();
        assertEquals(Level.HIGH, only(scan(chunk2)).level());
        // a number starting before reportFrom is not reported even if it ends after it
        TextSegment chunk3 = TextSegment.builder("body", "ID " + SpecCasesTest.C).reportFrom(5).build();
        assertTrue(scan(chunk3).isEmpty());
        // a cluster that starts before reportFrom is still tokenized from its start (B2 sees the 1)
        TextSegment chunk4 = TextSegment.builder("body", "1-" + SpecCasesTest.A).reportFrom(2).build();
        assertTrue(scan(chunk4).isEmpty());
    }

    @Test
    void reportToLeavesTheChunkEndToTheNextChunk() {
        // the chunk ends inside a longer digit run: its last 12 digits look like a whole number
        String chunk = "x ".repeat(40) + SpecCasesTest.A;
        assertEquals(1, scan(TextSegment.of("body", chunk)).size());
        assertTrue(scan(TextSegment.builder("body", chunk).reportTo(chunk.length() - 20).build()).isEmpty());
        // a number starting at or after reportTo is the next chunk's, before it this chunk's
        String text = "ID " + SpecCasesTest.C + " and ID " + SpecCasesTest.A + " end";
        int second = text.indexOf(SpecCasesTest.A);
        Finding f = only(scan(TextSegment.builder("body", text).reportTo(second).build()));
        assertEquals(SpecCasesTest.C, f.revealValue());
        assertEquals(SpecCasesTest.A,
                only(scan(TextSegment.builder("body", text).reportTo(second + 1).reportFrom(5).build())).revealValue());
    }

    @Test
    void overlappingChunksFindWhatTheWholeTextHolds() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            b.append(i % 7 == 0 ? "マイナンバー " + myNumber(i) : "ID " + myNumber(i)).append(" / 4111 1111 1111 1111 ")
                    .append("x".repeat(i % 13)).append('\n');
        }
        String text = b.toString();
        Set<String> whole = new TreeSet<>();
        for (Finding f : DETECTOR.detect(text)) {
            whole.add(f.revealValue() + " " + f.level());
        }
        for (int chunkChars : new int[] {997, 4096}) {
            int overlap = 256;
            FindingCollector c = new FindingCollector();
            int start = 0;
            boolean first = true;
            while (true) {
                int end = Math.min(text.length(), start + chunkChars);
                boolean last = end == text.length();
                String chunk = text.substring(start, end);
                DETECTOR.scan(TextSegment.builder("body", chunk).reportFrom(first ? 0 : overlap / 2)
                        .reportTo(last ? chunk.length() : chunk.length() - overlap / 2).build(), c);
                if (last) {
                    break;
                }
                start = end - overlap;
                first = false;
            }
            Set<String> chunked = new TreeSet<>();
            for (Finding f : c.finish()) {
                chunked.add(f.revealValue() + " " + f.level());
                assertEquals(1, f.occurrences(), f::toString);
            }
            assertEquals(whole, chunked, "chunks of " + chunkChars);
        }
    }

    @Test
    void customKeywordsAndWindows() {
        String text = "社員番号 " + SpecCasesTest.A;
        assertEquals(Level.LOW, only(DETECTOR.detect(text)).level());
        Detector custom = new Detector(DetectorConfig.builder().addMyNumberKeywords("社員番号").build());
        Finding f = only(custom.detect(text));
        assertEquals(Level.HIGH, f.level());
        assertTrue(f.reasons().contains("keyword:社員番号"));

        Detector negative = new Detector(DetectorConfig.builder().addNegativeWords("Member ID").build());
        assertTrue(negative.detect("member id " + SpecCasesTest.A).isEmpty());

        Detector corp = new Detector(DetectorConfig.builder().addCorporateKeywords("取引先").build());
        assertEquals(Level.HIGH, only(corp.detect("取引先 " + SpecCasesTest.K3)).level());

        String far = "マイナンバー" + " ".repeat(40) + SpecCasesTest.A;
        assertEquals(Level.HIGH, only(DETECTOR.detect(far)).level());
        Detector narrow = new Detector(DetectorConfig.builder().positiveWindow(20).build());
        assertEquals(Level.LOW, only(narrow.detect(far)).level());

        String neg = "tel" + " ".repeat(40) + SpecCasesTest.A;
        assertTrue(DETECTOR.detect("tel " + SpecCasesTest.A).isEmpty());
        assertEquals(Level.LOW, only(DETECTOR.detect(neg)).level());
        Detector wide = new Detector(DetectorConfig.builder().negativeWindow(100).build());
        assertTrue(wide.detect(neg).isEmpty());

        // JSON and form keys: the extractors emit "key: value"
        Finding key = only(DETECTOR.detect("corporateNumber: 3986749050951"));
        assertEquals(FindingType.CORPORATE_NUMBER, key.type());
        assertEquals(Level.MEDIUM, key.level());
        assertEquals(Level.HIGH, only(DETECTOR.detect("myNumber: " + SpecCasesTest.A)).level());

        assertThrows(IllegalArgumentException.class, () -> DetectorConfig.builder().positiveWindow(-1));
        assertThrows(IllegalArgumentException.class, () -> DetectorConfig.builder().addMyNumberKeywords(" "));
        assertEquals(DetectorConfig.DEFAULT_MY_NUMBER_KEYWORDS,
                DetectorConfig.defaults().myNumberKeywords().subList(0, DetectorConfig.DEFAULT_MY_NUMBER_KEYWORDS.size()));
        assertTrue(DetectorConfig.defaults().myNumberKeywords().containsAll(List.of("mynumber", "my_number", "my-number")));
    }

    @Test
    void scientificNotationInATableColumn() {
        String text = "氏名,マイナンバー\n" + "name,x\n".repeat(30) + "name,2.72034E+11\n";
        TextSegment s = TextSegment.builder("t.csv", text).table(new TextSegment.Table("t", ',', null, false))
                .locator(LINE_COLUMN).build();
        Detector narrow = new Detector(DetectorConfig.builder().positiveWindow(5).build());
        FindingCollector c = new FindingCollector();
        narrow.scan(s, c);
        Finding f = only(c.finish());
        assertEquals(FindingType.MY_NUMBER_TRUNCATED, f.type());
        assertEquals("L31C1", f.location());
        assertFalse(f.toString().contains("72034"));
        assertTrue(DETECTOR.detect("マイナンバー 12.72034E+11").isEmpty());
        assertTrue(DETECTOR.detect("マイナンバー 2.72034E+111").isEmpty());
        assertEquals(1, DETECTOR.detect("マイナンバー ２．７２０３４Ｅ＋１０").size());
        // in a cluster with 12 digits that fail every check digit
        assertEquals(FindingType.MY_NUMBER_TRUNCATED,
                only(DETECTOR.detect("マイナンバー 12345 2.72034E+11")).type());
    }

    @Test
    void paddedCellNeedsKeyword() {
        String text = "id\n053696061579";
        TextSegment s = TextSegment.builder("x.xlsx", text).table(new TextSegment.Table("s", '\t', null, false))
                .paddedNumericCells(3, text.length()).build();
        assertTrue(scan(s).isEmpty());
        TextSegment unpadded = TextSegment.builder("x.xlsx", text).table(new TextSegment.Table("s", '\t', null, false))
                .build();
        assertEquals(Level.LOW, only(scan(unpadded)).level());
    }

    @Test
    void reasonsAreShortTokens() {
        Finding f = only(DETECTOR.detect("電話 マイナンバー 2026 0101 0005"));
        assertNotNull(f);
        for (String r : f.reasons()) {
            assertFalse(r.matches(".*[0-9]{4}.*"), r);
        }
        assertTrue(f.reasons().containsAll(List.of("shape:S2", "checksum", "keyword:マイナンバー",
                "penalty:date-like", "penalty:negative-word")), f::toString);
        Finding corp = only(DETECTOR.detect("4825478136229 法人番号"));
        assertTrue(corp.reasons().contains("penalty:implausible-corporate"), corp::toString);
    }

    @Test
    void otherCharSequencesAndLargeInputs() {
        String text = "マイナンバー " + SpecCasesTest.A;
        assertEquals(1, DETECTOR.detect(new StringBuilder(text)).size());
        assertEquals(1, DETECTOR.detect(CharBuffer.wrap("xx" + text).position(2)).size());
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append("1,2,3;4 5-6.7|8\t9\n");
        }
        big.append("マイナンバー ").append(SpecCasesTest.A);
        assertEquals(1, DETECTOR.detect(big).size());
    }

    @Test
    void sameLengthTextsInARowLeaveNothingBehind() {
        // the char array of one scan is reused for the next text of the same length
        String number = "マイナンバー " + myNumber(7);
        String plain = "x".repeat(number.length());
        String partly = number.substring(0, 10) + "x".repeat(number.length() - 10);
        assertEquals(1, DETECTOR.detect(number).size());
        assertEquals(0, DETECTOR.detect(plain).size());
        assertEquals(1, DETECTOR.detect(number).size());
        assertEquals(0, DETECTOR.detect(partly).size());
        assertEquals(1, DETECTOR.detect(new StringBuilder(number)).size());
        assertEquals(0, DETECTOR.detect(CharBuffer.wrap(plain)).size());
    }

    @Test
    void detectorIsThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    int n = 0;
                    for (int i = 0; i < 200; i++) {
                        n += DETECTOR.detect("マイナンバー " + myNumber(i) + " / 法人番号 " + SpecCasesTest.K1).size();
                    }
                    return n;
                }));
            }
            for (Future<Integer> f : futures) {
                assertEquals(400, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
