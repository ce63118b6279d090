package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.scan.ContentScanner;
import jp.mynaguard.policy.scan.ScanReport;

import org.junit.jupiter.api.Test;

/**
 * Line numbers of findings in a text long enough for many chunks: the chunker takes each
 * chunk's line feeds from the detector's pass instead of counting them again, so a finding deep
 * in the text, on either side of a chunk boundary, must still name its true line.
 */
class ChunkLineNumbersTest {
    @Test
    void findingsInLaterChunksNameTheirTrueLine() throws Exception {
        // Lines of varying length (CRLF on some), so chunk boundaries fall anywhere in a line;
        // about 2.5 MB, ten chunks of the default size.
        int[] targets = {3, 4_999, 17_321, 29_998, 30_001, 41_207};
        StringBuilder text = new StringBuilder();
        int t = 0;
        for (int line = 1; line <= 42_000; line++) {
            if (t < targets.length && line == targets[t]) {
                // one number per target: the same number twice is reported once
                text.append("マイナンバー ").append(Digits.myNumber(String.format("%011d", 31_415_926_535L + 7_919L * t)));
                t++;
            } else {
                text.append("議事録 ".repeat(line % 7)).append("item ").append(line % 13 == 0 ? "" : "x".repeat(line % 97));
            }
            text.append(line % 5 == 0 ? "\r\n" : "\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ScanReport report = ContentScanner.withDefaults()
                .scan(Format.TEXT, "memo.txt", "memo.txt", new ByteArrayInputStream(bytes));
        List<String> where = report.findings().stream().map(Finding::location).sorted().collect(Collectors.toList());
        List<String> expected = java.util.Arrays.stream(targets).mapToObj(l -> "memo.txt:line " + l).sorted()
                .collect(Collectors.toList());
        assertEquals(expected, where);
    }
}
