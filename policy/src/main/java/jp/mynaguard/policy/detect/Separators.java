package jp.mynaguard.policy.detect;

/**
 * The folded non-digit stretch between two digit runs, packed into a {@code long} key so that the
 * shape rules can compare separators ("the same separator twice") without building strings.
 *
 * <p>A stretch of the cell form {@code " *[\t,|;] *"} is kept as (spaces before, delimiter, spaces
 * after), whatever its length; any other stretch is kept verbatim up to 3 chars (all that shapes S2,
 * S3 and C2 allow); longer ones are {@link #isUsable(long) unusable} and equal to nothing. Equal keys
 * of usable stretches mean equal strings. Every key also carries the stretch's last char, which S6
 * needs.
 */
final class Separators {
    /** Char codes (4 bits); 0 = none. */
    static final int SP = 1;
    static final int MINUS = 2;
    static final int DOT = 3;
    static final int LF = 4;
    static final int TAB = 5;
    static final int COMMA = 6;
    static final int PIPE = 7;
    static final int SEMI = 8;
    static final int GT = 9;

    private static final long CELL = 1L << 62;
    private static final long SHORT = 1L << 61;
    private static final long LONG = 1L << 60;
    private static final int MAX_SPACES = (1 << 20) - 1;

    static final long EMPTY = SHORT;
    static final long NEWLINE = shortKey(LF);

    private Separators() {
    }

    static int code(char folded) {
        switch (folded) {
            case ' ':
                return SP;
            case '-':
                return MINUS;
            case '.':
                return DOT;
            case '\n':
                return LF;
            case '\t':
                return TAB;
            case ',':
                return COMMA;
            case '|':
                return PIPE;
            case ';':
                return SEMI;
            default:
                return GT;
        }
    }

    /** Accumulates one stretch; reused, {@link #reset()} before each stretch. */
    static final class Builder {
        private int length;
        private int packed;
        private int last;
        private int before;
        private int after;
        private int delimiter;
        private boolean cellForm = true;

        void reset() {
            length = 0;
            packed = 0;
            last = 0;
            before = 0;
            after = 0;
            delimiter = 0;
            cellForm = true;
        }

        boolean isEmpty() {
            return length == 0;
        }

        void add(int code) {
            if (length < 3) {
                packed |= code << (4 * length);
            }
            length++;
            last = code;
            if (!cellForm) {
                return;
            }
            if (code == SP) {
                if (delimiter == 0) {
                    before = Math.min(before + 1, MAX_SPACES);
                } else {
                    after = Math.min(after + 1, MAX_SPACES);
                }
            } else if (delimiter == 0 && (code == TAB || code == COMMA || code == PIPE || code == SEMI)) {
                delimiter = code;
            } else {
                cellForm = false;
            }
        }

        long build() {
            if (cellForm && delimiter != 0) {
                return CELL | (long) before << 32 | (long) after << 8 | delimiter;
            }
            if (length <= 3) {
                return SHORT | (long) length << 12 | packed;
            }
            return LONG | last;
        }
    }

    private static long shortKey(int... codes) {
        int packed = 0;
        for (int i = 0; i < codes.length; i++) {
            packed |= codes[i] << (4 * i);
        }
        return SHORT | (long) codes.length << 12 | packed;
    }

    static boolean isUsable(long key) {
        return (key & LONG) == 0;
    }

    static boolean isEmpty(long key) {
        return key == EMPTY;
    }

    static boolean same(long a, long b) {
        return a == b && isUsable(a);
    }

    /** Cell separator {@code " *[\t,|;] *"} (S4, C4). */
    static boolean isCell(long key) {
        return (key & CELL) != 0;
    }

    private static int length(long key) {
        return (key & SHORT) != 0 ? (int) (key >>> 12 & 3) : -1;
    }

    private static int at(long key, int i) {
        return (int) (key >>> (4 * i) & 15);
    }

    /** The only char of a one-char stretch, else 0. */
    static int single(long key) {
        if ((key & SHORT) != 0) {
            return length(key) == 1 ? at(key, 0) : 0;
        }
        if ((key & CELL) != 0 && (key >>> 8 & 0xfffffL) == 0 && (key >>> 32 & 0xfffffL) == 0) {
            return (int) (key & 15);
        }
        return 0;
    }

    /** Last char code (0 for the empty stretch). */
    static int last(long key) {
        if ((key & CELL) != 0) {
            return (key >>> 8 & 0xfffffL) != 0 ? SP : (int) (key & 15);
        }
        if ((key & SHORT) != 0) {
            int len = length(key);
            return len == 0 ? 0 : at(key, len - 1);
        }
        return (int) (key & 15);
    }

    /** S2 separator: {@code " - "} or one of space, dot, hyphen. */
    static boolean isS2(long key) {
        return isC2(key) || key == shortKey(SP, MINUS, SP);
    }

    /** C2 separator: one of space, dot, hyphen. */
    static boolean isC2(long key) {
        int c = (key & SHORT) != 0 ? single(key) : 0;
        return c == SP || c == DOT || c == MINUS;
    }

    /** S3 separator {@code " ?[ .\n-] ?"}. */
    static boolean isS3(long key) {
        if ((key & SHORT) == 0) {
            return false;
        }
        int len = length(key);
        if (len == 1) {
            return isS3Core(at(key, 0));
        }
        if (len == 2) {
            return at(key, 0) == SP && isS3Core(at(key, 1)) || isS3Core(at(key, 0)) && at(key, 1) == SP;
        }
        return len == 3 && at(key, 0) == SP && isS3Core(at(key, 1)) && at(key, 2) == SP;
    }

    private static boolean isS3Core(int c) {
        return c == SP || c == DOT || c == LF || c == MINUS;
    }

    /** Bit set of the char codes in a usable stretch (the "separators used inside the match" of B2). */
    static int chars(long key) {
        if ((key & CELL) != 0) {
            boolean spaces = (key >>> 8 & 0xfffffL) != 0 || (key >>> 32 & 0xfffffL) != 0;
            return 1 << (int) (key & 15) | (spaces ? 1 << SP : 0);
        }
        int set = 0;
        int len = length(key);
        for (int i = 0; i < len; i++) {
            set |= 1 << at(key, i);
        }
        return set;
    }

    /** Whether a stretch contains a LF or the given delimiter code: it then spans rows or cells. */
    static boolean crossesCells(long key, int delimiterCode) {
        int set = chars(key);
        return (set & (1 << LF)) != 0 || delimiterCode != 0 && (set & (1 << delimiterCode)) != 0;
    }

    /**
     * B2: is this stretch (bounded by a digit on its far side) a link of a longer chain? Links are
     * {@code - . \n}, the match's joiner and any single separator char used inside the match
     * ({@code / :} never occur inside a stretch and are checked by the caller).
     */
    static boolean isLink(long stretch, long joiner, int matchChars) {
        if (!isUsable(stretch) || isEmpty(stretch)) {
            return false;
        }
        int c = single(stretch);
        if (c == MINUS || c == DOT || c == LF || c != 0 && (matchChars & 1 << c) != 0) {
            return true;
        }
        return joiner != 0 && same(stretch, joiner);
    }
}
