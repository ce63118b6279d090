package jp.mynaguard.policy.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time pass over Latin-1 text ({@link CharWords}) finds exactly what the per-char
 * loop finds, with the same locations and line counts, wherever the numbers and the chars that
 * send a block back to the per-char loop fall relative to the 16-char blocks.
 */
class CharWordsTest {
    private static final Detector DETECTOR = Detector.withDefaults();
    private static final TextSegment.CellLocator LINE_COLUMN = (line, column) -> "L" + line + "C" + column;
    /** Four chars that never need the char loop. */
    private static final long PLAIN = CharWords.AVAILABLE ? CharWords.word("a~\u00ff\n".toCharArray(), 0) : 0;

    @Test
    void theWordPassRunsOnThisJvm() {
        // Else every test below compares the per-char loop with itself.
        assertTrue(CharWords.AVAILABLE, "sun.misc.Unsafe is missing: the scan runs without its word pass");
    }

    @Test
    void aWordNeedsTheCharLoopExactlyWhenOneOfItsCharsIsADigitOrNotLatin1() {
        char[] a = new char[4];
        for (int code = 0; code < 0x10000; code++) {
            final int c = code;
            boolean expected = c >= 0x100 || Folding.isDigit(Folding.classOf((char) c));
            for (int lane = 0; lane < 4; lane++) {
                java.util.Arrays.fill(a, 'x');
                a[lane] = (char) c;
                long w = CharWords.word(a, 0);
                assertEquals(expected, CharWords.needsCharLoop(w, PLAIN, PLAIN, PLAIN), () -> "U+" + Integer.toHexString(c));
                assertEquals(expected, CharWords.needsCharLoop(PLAIN, PLAIN, PLAIN, w), () -> "U+" + Integer.toHexString(c));
                assertEquals(expected, CharWords.needsCharLoop(PLAIN, w, PLAIN, PLAIN), () -> "U+" + Integer.toHexString(c));
                if (!expected) {
                    assertEquals(c == '\n' ? 1 : 0, CharWords.lineFeeds(w), () -> "U+" + Integer.toHexString(c));
                }
            }
        }
        assertEquals(4, CharWords.lineFeeds(CharWords.word("\n\n\n\n".toCharArray(), 0)));
        assertFalse(CharWords.needsCharLoop(CharWords.word("\u00ff\u00a0~/".toCharArray(), 0), PLAIN, PLAIN, PLAIN));
    }

    @Test
    void numbersAtEveryOffsetOfABlockAreFoundAlike() {
        String n = DetectorTest.myNumber(4242);
        String[] shapes = {n, n.substring(0, 4) + "-" + n.substring(4, 8) + "-" + n.substring(8),
            n.substring(0, 4) + " " + n.substring(4, 8) + " " + n.substring(8), wide(n), "1.23457e+11"};
        for (String shape : shapes) {
            for (int offset = 0; offset < 40; offset++) {
                String text = "x".repeat(offset) + "個人番号 " + shape + " end\n" + "abc ".repeat(offset % 7) + shape
                        + "\nlorem ipsum dolor sit amet\n".repeat(3) + shape;
                assertSameFindings(text, 0, text.length());
            }
        }
    }

    @Test
    void randomTextsGiveTheSameFindingsAndLineCounts() {
        Random random = new Random(20261127);
        for (int round = 0; round < 400; round++) {
            String text = randomText(random, 200 + random.nextInt(3000));
            int from = random.nextInt(3) == 0 ? random.nextInt(text.length() / 2) : 0;
            int to = random.nextInt(3) == 0 ? from + random.nextInt(text.length() - from + 1) : text.length();
            assertSameFindings(text, from, to);
        }
    }

    private static void assertSameFindings(String text, int from, int to) {
        List<String> perChar = new ArrayList<>();
        int linesPerChar = scan(text, from, to, SegmentScan.Loop.CHARS, perChar);
        for (SegmentScan.Loop loop : List.of(SegmentScan.Loop.WORDS, SegmentScan.Loop.AUTO)) {
            List<String> other = new ArrayList<>();
            int lines = scan(text, from, to, loop, other);
            assertEquals(perChar, other, () -> loop + ": text of " + text.length() + " chars, report " + from + ".." + to);
            assertEquals(linesPerChar, lines, loop + ": line feeds counted");
        }
    }

    private static int scan(String text, int from, int to, SegmentScan.Loop words, List<String> into) {
        TextSegment.LineFeedCount lines = new TextSegment.LineFeedCount();
        TextSegment segment = TextSegment.builder("t", CharBuffer.wrap(text.toCharArray()))
                .reportFrom(from).reportTo(to).firstLine(3).locator(LINE_COLUMN).lineFeeds(lines).build();
        FindingCollector collector = new FindingCollector();
        DETECTOR.scan(segment, collector, words);
        for (Finding f : collector.finish()) {
            into.add(f.type() + " " + f.level() + " " + f.location() + " " + f.reasons() + " " + f.occurrences());
        }
        return lines.get();
    }

    /** Long Latin-1 stretches with the odd digit, separator, Japanese word, wide digit and number. */
    private static String randomText(Random r, int length) {
        String[] pieces = {"lorem ipsum ", "dolor sit amet, ", "ZXhhbXBsZSBiYXNlNjQgdGV4dA==", "\n", "\r\n", "> ",
            "個人番号", "マイナンバー", "My Number: ", "tel ", "-", " ", "\u00a0", "\u200b", "e+11", ".", "住所 東京都",
            "２０２６年", "一二三", "\t", ",", "|", "éàü", "&nbsp;", "<td>", "</td>"};
        StringBuilder b = new StringBuilder(length + 64);
        while (b.length() < length) {
            int k = r.nextInt(pieces.length + 6);
            if (k < pieces.length) {
                b.append(pieces[k]);
            } else if (k == pieces.length) {
                String n = DetectorTest.myNumber(r.nextInt(1_000_000));
                b.append(r.nextBoolean() ? n : DetectorTest.invalid(n));
            } else if (k == pieces.length + 1) {
                String n = DetectorTest.myNumber(r.nextInt(1_000_000));
                b.append(n, 0, 4).append(' ').append(n, 4, 8).append(' ').append(n, 8, 12);
            } else if (k == pieces.length + 2) {
                b.append(r.nextInt(100_000));
            } else {
                b.append("x".repeat(r.nextInt(40)));
            }
        }
        return b.toString();
    }

    private static String wide(String digits) {
        StringBuilder b = new StringBuilder();
        for (char c : digits.toCharArray()) {
            b.append((char) (c - '0' + '\uff10'));
        }
        return b.toString();
    }
}
