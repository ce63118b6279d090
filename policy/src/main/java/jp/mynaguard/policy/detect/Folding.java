package jp.mynaguard.policy.detect;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Character classes and folding of the detection spec (§6.2 N2), as lookup tables.
 *
 * <p>The scanner never folds a whole text. It looks a char up in {@link #classOf(char)} only
 * around digits, and folds other chars (NFKC + lower case, first char, as the reference model
 * does per code point) through {@link #fold(int)} only at the edges of a candidate and in keyword
 * windows, which are rare.
 */
final class Folding {
    /** Anything that ends a digit cluster. */
    static final byte OTHER = 0;
    /** {@code 0-9}. */
    static final byte DIGIT = 1;
    /** Full-width {@code ０-９}. */
    static final byte WIDE_DIGIT = 2;
    /** Kanji numerals {@code 〇一二三四五六七八九零}: digits with a flag (base score 0). */
    static final byte KANJI_DIGIT = 3;
    static final byte SPACE = 4;
    static final byte DASH = 5;
    static final byte DOT = 6;
    /** LF and U+2028. */
    static final byte LF = 7;
    /** CR; CRLF folds to one LF. */
    static final byte CR = 8;
    static final byte TAB = 9;
    static final byte COMMA = 10;
    static final byte PIPE = 11;
    static final byte SEMICOLON = 12;
    /** Zero-width chars and the soft hyphen: deleted (evasion). */
    static final byte DROP = 13;
    /** {@code >}: an e-mail quote marker at a line start (N3), else an ordinary char. */
    static final byte QUOTE = 14;

    private static final byte[] CLASS = new byte[65536];
    /** Chars that can start a number: one bit per char, 8 KiB. */
    private static final long[] TRIGGER = new long[1024];
    /**
     * Per char, what the cluster pre-pass of {@link SegmentScan} adds to its digit count: 1 for a
     * digit, 0 for a separator or dropped char, and for a char that ends a cluster the negated
     * count from which the cluster is worth a look: {@link #END_E} before a possible S6 exponent
     * (2+ digits), else {@link #END} (12+ digits).
     */
    private static final byte[] SCAN = new byte[65536];
    static final byte END = -12;
    static final byte END_E = -2;
    private static final String KANJI_DIGITS = "〇一二三四五六七八九";

    static {
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT;
        }
        for (char c = '\uff10'; c <= '\uff19'; c++) {
            CLASS[c] = WIDE_DIGIT;
        }
        for (int i = 0; i < KANJI_DIGITS.length(); i++) {
            CLASS[KANJI_DIGITS.charAt(i)] = KANJI_DIGIT;
        }
        CLASS['零'] = KANJI_DIGIT;
        set(SPACE, " \u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000");
        // Chars whose NFKC form starts with a space (spacing diacritics, ゛ ゜): the reference
        // folds them to a space too.
        set(SPACE, "\u00a8\u00af\u00b4\u00b8\u02d8\u02d9\u02da\u02db\u02dc\u02dd\u037a\u0384\u0385"
                + "\u1fbd\u1fbf\u1fc0\u1fc1\u1fcd\u1fce\u1fcf\u1fdd\u1fde\u1fdf\u1fed\u1fee\u1ffd\u1ffe"
                + "\u2017\u203e\u309b\u309c\ufc5e\ufc5f\ufc60\ufc61\ufc62\ufc63\ufe49\ufe4a\ufe4b\ufe4c"
                + "\ufe70\ufe72\ufe74\ufe76\ufe78\ufe7a\ufe7c\ufe7e\uffe3");
        set(DASH, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc\uff70\u2500");
        set(DOT, ".\uff0e\u30fb\uff65\u00b7\u2024\u2025\u2026\ufe19\ufe30\ufe52");
        set(LF, "\n\u2028");
        set(CR, "\r");
        set(TAB, "\t");
        set(COMMA, ",\ufe10\ufe50\uff0c");
        set(PIPE, "|\uff5c");
        set(SEMICOLON, ";\u037e\ufe14\ufe54\uff1b");
        set(DROP, "\u200b\u200c\u200d\u2060\ufeff\u00ad");
        set(QUOTE, ">");
        for (int c = 0; c < 65536; c++) {
            if (CLASS[c] >= DIGIT && CLASS[c] <= KANJI_DIGIT) {
                TRIGGER[c >>> 6] |= 1L << c;
            }
            SCAN[c] = CLASS[c] == OTHER ? foldsToE((char) c) ? END_E : END : isDigit(CLASS[c]) ? (byte) 1 : 0;
        }
    }

    private Folding() {
    }

    private static void set(byte cls, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            CLASS[chars.charAt(i)] = cls;
        }
    }

    static byte classOf(char c) {
        return CLASS[c];
    }

    static boolean isTrigger(char c) {
        return (TRIGGER[c >>> 6] & 1L << c) != 0;
    }

    /** See {@link #SCAN}. */
    static byte scanStep(char c) {
        return SCAN[c];
    }

    static boolean isDigit(byte cls) {
        return cls >= DIGIT && cls <= KANJI_DIGIT;
    }

    static int digitValue(char c, byte cls) {
        switch (cls) {
            case DIGIT:
                return c - '0';
            case WIDE_DIGIT:
                return c - '\uff10';
            default:
                return c == '零' ? 0 : KANJI_DIGITS.indexOf(c);
        }
    }

    /** Chars that fold to {@code e} (S6 exponent), without touching the NFKC table. */
    static boolean foldsToE(char c) {
        if ((c | 0x20) == 'e') {
            return true;
        }
        // kana and ideographs are by far the most common non-ASCII chars after a number
        return c >= 0x1d31 && (c < 0x3040 || c > 0x9fff || c == 0x32cd || c == 0x32ce) && E_LIKE.indexOf(c) >= 0;
    }

    private static final String E_LIKE = "\u1d31\u1d49\u2091\u212f\u2130\u2147\u24ba\u24d4\u32cd\u32ce\uff25\uff45";

    /** The folded char of a separator class (SPACE..QUOTE). */
    static char separator(byte cls) {
        switch (cls) {
            case SPACE:
                return ' ';
            case DASH:
                return '-';
            case DOT:
                return '.';
            case LF:
            case CR:
                return '\n';
            case TAB:
                return '\t';
            case COMMA:
                return ',';
            case PIPE:
                return '|';
            case SEMICOLON:
                return ';';
            default:
                return '>';
        }
    }

    /**
     * The folded form (spec view {@code f}) of the code point starting at {@code i}: digits to
     * ASCII, separators canonical, anything else NFKC + lower case. Not for dropped chars.
     */
    static int foldedAt(char[] a, int i, int n) {
        char c = a[i];
        byte cls = CLASS[c];
        if (isDigit(cls)) {
            return '0' + digitValue(c, cls);
        }
        if (cls != OTHER && cls != DROP) {
            return separator(cls);
        }
        return fold(Character.codePointAt(a, i, n));
    }

    /** NFKC + lower case, first code point; what the reference does to every other char. */
    static int fold(int cp) {
        if (cp < 0x80) {
            return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        }
        if (cp < 0x10000) {
            return Nfkc.TABLE[cp];
        }
        return Nfkc.foldSlow(cp);
    }

    /** Python's {@code str.isdigit()} on a folded char. */
    static boolean isDigitLike(int cp) {
        return cp >= '0' && cp <= '9' || cp >= 0x80 && Character.isDigit(cp);
    }

    /** Python's {@code str.isalnum()} on a folded char. */
    static boolean isAlnumLike(int cp) {
        if (cp < 0x80) {
            return cp >= '0' && cp <= '9' || cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z';
        }
        int t = Character.getType(cp);
        return Character.isLetterOrDigit(cp) || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** Python's {@code \w} on a folded char. */
    static boolean isWordLike(int cp) {
        return cp == '_' || isAlnumLike(cp);
    }

    /** Python's {@code \s} on a folded char. */
    static boolean isSpaceLike(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** A combining mark or Hangul jamo: NFKC may compose it with the char before. */
    static boolean isComposing(int cp) {
        if (cp >= 0x3040 && cp <= 0x9fff) { // kana and ideographs: only the kana voicing marks
            return cp == 0x3099 || cp == 0x309a;
        }
        if (cp >= 0x1160 && cp <= 0x11ff) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.ENCLOSING_MARK;
    }

    /** Per-char NFKC + lower-case table, built on first use (about 30 ms), off the hot path. */
    private static final class Nfkc {
        static final char[] TABLE = new char[65536];

        static {
            for (int c = 0; c < 65536; c++) {
                if (c >= 0x4e00 && c <= 0x9fff || c >= 0xac00 && c <= 0xd7a3 || c >= 0xd800 && c < 0xe000) {
                    TABLE[c] = (char) c; // ideographs, hangul syllables, surrogates: unchanged
                } else {
                    String s = normalize(String.valueOf((char) c));
                    TABLE[c] = s.isEmpty() ? ' ' : s.charAt(0);
                }
            }
        }

        static int foldSlow(int cp) {
            String s = normalize(new String(Character.toChars(cp)));
            return s.isEmpty() ? ' ' : s.codePointAt(0);
        }

        private static String normalize(String s) {
            return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        }
    }
}
