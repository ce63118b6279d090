package jp.mynaguard.policy.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The hand-written class table agrees with per-char NFKC, which is what the reference folds with. */
class FoldingTest {
    @Test
    void separatorClassesCoverEveryCharThatFoldsToASeparator() {
        for (int i = 0; i < 0x10000; i++) {
            final int c = i;
            if (c >= 0xd800 && c < 0xe000) {
                continue;
            }
            byte cls = Folding.classOf((char) c);
            if (cls == Folding.DROP || Folding.isDigit(cls) || cls == Folding.QUOTE || cls == Folding.CR
                    || cls == Folding.LF || cls == Folding.TAB) {
                continue;
            }
            String nfkc = Normalizer.normalize(String.valueOf((char) c), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
            char first = nfkc.isEmpty() ? ' ' : nfkc.charAt(0);
            int expected = " -.,|;".indexOf(first);
            if (cls == Folding.OTHER) {
                assertEquals(-1, expected, () -> "U+" + Integer.toHexString(c) + " folds to a separator");
            } else if (cls != Folding.DASH && cls != Folding.DOT && cls != Folding.SPACE) {
                // the explicit N2 dash/dot/space lists also hold chars NFKC leaves alone (ー, −)
                assertEquals(" -.,|;".charAt(expected), Folding.separator(cls), () -> "U+" + Integer.toHexString(c));
            }
        }
    }

    @Test
    void triggersAreExactlyTheDigits() {
        int n = 0;
        for (int c = 0; c < 0x10000; c++) {
            boolean digit = Folding.isDigit(Folding.classOf((char) c));
            assertEquals(digit, Folding.isTrigger((char) c));
            n += digit ? 1 : 0;
        }
        assertEquals(10 + 10 + 11, n);
        assertEquals(0, Folding.digitValue('零', Folding.KANJI_DIGIT));
        assertEquals(9, Folding.digitValue('九', Folding.KANJI_DIGIT));
        assertEquals(7, Folding.digitValue('７', Folding.WIDE_DIGIT));
    }

    @Test
    void foldIsNfkcLowerCase() {
        assertEquals('t', Folding.fold('Ｔ'));
        assertEquals('ハ', Folding.fold('ﾊ'));
        assertEquals('1', Folding.fold('①'));
        assertEquals('0', Folding.fold(0x1d7ce)); // MATHEMATICAL BOLD DIGIT ZERO
        assertTrue(Folding.isAlnumLike('番'));
        assertFalse(Folding.isAlnumLike('（'));
        assertTrue(Folding.isDigitLike('٣'));
    }
}
