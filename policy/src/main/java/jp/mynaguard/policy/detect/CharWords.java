package jp.mynaguard.policy.detect;

import java.lang.reflect.Field;
import java.nio.ByteOrder;

/**
 * Reads a {@code char[]} four chars at a time, as one {@code long}, so that {@link SegmentScan}
 * can pass over Latin-1 text without digits with a few operations per four chars instead of a
 * table lookup and a dependent add per char (SWAR: SIMD within a register; Java 17 has no stable
 * vector API). The lanes are tested together:
 * <ul>
 * <li>a lane at U+0100 or above (Japanese, full-width, any non-Latin-1 char) sends the block to
 * the per-char loop, which knows every digit and separator;</li>
 * <li>otherwise a lane holding '0'..'9', the only digits below U+0100 (checked against
 * {@link Folding} when this class loads), does the same;</li>
 * <li>and the line feeds are counted.</li>
 * </ul>
 * Needs {@code sun.misc.Unsafe} (module jdk.unsupported), as Netty does for the same reason;
 * where it is missing, {@link #AVAILABLE} is false and the scan keeps to its per-char loop.
 */
final class CharWords {
    /** Chars per word. */
    static final int CHARS = 4;
    static final boolean AVAILABLE;
    private static final sun.misc.Unsafe UNSAFE;
    private static final long BASE;

    private static final long HIGH_BYTES = 0xFF00_FF00_FF00_FF00L;
    private static final long LANE_SIGN = 0x8000_8000_8000_8000L;
    /** Added to a lane below U+0100: sets its bit 15 exactly when the lane is at least '0'. */
    private static final long FROM_ZERO = lanes(0x8000 - '0');
    /** The same for "above '9'". */
    private static final long PAST_NINE = lanes(0x8000 - ('9' + 1));
    private static final long LINE_FEEDS = lanes('\n');
    /** Added to a lane below U+0100: sets bit 15 exactly when the lane is not zero. */
    private static final long NON_ZERO = lanes(0x7FFF);

    static {
        sun.misc.Unsafe unsafe = null;
        long base = 0;
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = (sun.misc.Unsafe) f.get(null);
            base = unsafe.arrayBaseOffset(char[].class);
            if (unsafe.arrayIndexScale(char[].class) != 2) {
                unsafe = null;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unsafe = null;
        }
        UNSAFE = unsafe;
        BASE = base;
        AVAILABLE = unsafe != null && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && onlyAsciiDigitsBelowLatin1End();
    }

    private CharWords() {
    }

    private static long lanes(int v) {
        return v * 0x0001_0001_0001_0001L;
    }

    /** The word test is right only while '0'..'9' are the only Latin-1 chars of a digit class. */
    private static boolean onlyAsciiDigitsBelowLatin1End() {
        for (char c = 0; c < 0x100; c++) {
            if (Folding.isDigit(Folding.classOf(c)) != (c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Chars {@code i .. i + 3} of {@code a}; the caller guarantees {@code i + 4 <= a.length}. */
    static long word(char[] a, int i) {
        return UNSAFE.getLong(a, BASE + ((long) i << 1));
    }

    /**
     * Whether sixteen chars (four words) need the per-char loop: one of them is a digit or not
     * Latin-1. Branch-free, with the masks applied once to the OR of the four words' tests: where
     * a lane is not Latin-1 the digit test's carries may spill into the next lane, but the
     * high-byte test has sent the block to the char loop then.
     */
    static boolean needsCharLoop(long w0, long w1, long w2, long w3) {
        long wide = (w0 | w1 | w2 | w3) & HIGH_BYTES;
        long digits = (w0 + FROM_ZERO) & ~(w0 + PAST_NINE) | (w1 + FROM_ZERO) & ~(w1 + PAST_NINE)
                | (w2 + FROM_ZERO) & ~(w2 + PAST_NINE) | (w3 + FROM_ZERO) & ~(w3 + PAST_NINE);
        return (wide | digits & LANE_SIGN) != 0;
    }

    /** The line feeds among four Latin-1 chars (a word {@link #needsCharLoop} lets pass). */
    static int lineFeeds(long w) {
        long y = w ^ LINE_FEEDS;
        return CHARS - Long.bitCount((y + NON_ZERO) & LANE_SIGN);
    }
}
