package jp.mynaguard.policy.detect;

/**
 * The digit runs of one cluster (a maximal stretch of digits and separator chars) and the folded
 * stretches between them, as the tokenizer in {@link SegmentScan} produces them.
 *
 * <p>Every shape of §6.3 is a sequence of at most 13 consecutive runs, so a ring of 16 slots is
 * enough however long the cluster is (a numeric CSV can be one cluster of megabytes): run
 * {@code r} is evaluated once run {@code r + 13} is complete (so the separator after it is known)
 * or the cluster has ended. Indices are cluster-relative run numbers; slots are {@code run & 15}.
 */
final class RunBuffer {
    static final int NONE = -1;
    /** Digits kept per run: C1 needs 13, S6 14; longer runs only need their length. */
    static final int KEPT_DIGITS = 14;
    private static final int SLOTS = 16;
    private static final int MASK = SLOTS - 1;

    private final char[] text;
    private final int length;
    private final int[] start = new int[SLOTS];
    private final int[] end = new int[SLOTS];
    private final int[] digitCount = new int[SLOTS];
    private final int[] kanjiCount = new int[SLOTS];
    private final long[] sepAfter = new long[SLOTS];
    private final long[] packed = new long[SLOTS];
    private final Separators.Builder stretch = new Separators.Builder();

    private int clusterStart;
    private int clusterEnd;
    private int count;
    private boolean ended;
    private long prefix;
    private int left1;
    private int left2;
    private int right1;
    private int right2;
    private boolean leftFolded;
    private boolean rightFolded;

    RunBuffer(char[] text, int length) {
        this.text = text;
        this.length = length;
    }

    void beginCluster(int at) {
        clusterStart = at;
        count = 0;
        ended = false;
        leftFolded = false;
        rightFolded = false;
        stretch.reset();
    }

    /**
     * Appends run {@link #count()}: {@code digits} digit values packed 4 bits each, first digit
     * lowest (only the first {@link #KEPT_DIGITS} are kept). The stretch collected since the
     * previous run becomes that run's separator (or the cluster's head).
     */
    void addRun(int from, int to, int digitCount, int kanjiCount, long packedDigits) {
        long key = stretch.build();
        if (count == 0) {
            prefix = key;
        } else {
            sepAfter[(count - 1) & MASK] = key;
        }
        stretch.reset();
        int slot = count & MASK;
        start[slot] = from;
        end[slot] = to;
        this.digitCount[slot] = digitCount;
        this.kanjiCount[slot] = kanjiCount;
        packed[slot] = packedDigits;
        count++;
    }

    void addSeparator(int code) {
        stretch.add(code);
    }

    void endCluster(int at) {
        if (count > 0) {
            sepAfter[(count - 1) & MASK] = stretch.build();
        }
        clusterEnd = at;
        ended = true;
    }

    int count() {
        return count;
    }

    boolean exists(int run) {
        return run < count;
    }

    boolean isFirst(int run) {
        return run == 0;
    }

    boolean isLast(int run) {
        return ended && run == count - 1;
    }

    int start(int run) {
        return start[run & MASK];
    }

    int end(int run) {
        return end[run & MASK];
    }

    int digitCount(int run) {
        return digitCount[run & MASK];
    }

    int kanjiCount(int run) {
        return kanjiCount[run & MASK];
    }

    /** Digit {@code k} (< {@link #KEPT_DIGITS}) of a run. */
    int digit(int run, int k) {
        return (int) (packed[run & MASK] >>> (4 * k)) & 15;
    }

    /** Copies the kept digits of a run into {@code dst}; returns the new offset. */
    int copyDigits(int run, byte[] dst, int off) {
        int n = Math.min(digitCount(run), KEPT_DIGITS);
        long p = packed[run & MASK];
        for (int k = 0; k < n; k++) {
            dst[off + k] = (byte) (p & 15);
            p >>>= 4;
        }
        return off + n;
    }

    /** Stretch after a run: to the next run, or the cluster's tail after the last run. */
    long sepAfter(int run) {
        return sepAfter[run & MASK];
    }

    /** Stretch before a run: the previous separator, or the cluster's head before the first run. */
    long sepBefore(int run) {
        return run == 0 ? prefix : sepAfter[(run - 1) & MASK];
    }

    int clusterStart() {
        return clusterStart;
    }

    int clusterEnd() {
        return clusterEnd;
    }

    /** Folded char just before the cluster, or {@link #NONE} at the start of the text. */
    int left1() {
        foldLeft();
        return left1;
    }

    /** Folded char before {@link #left1()} (dropped chars skipped), or {@link #NONE}. */
    int left2() {
        foldLeft();
        return left2;
    }

    /** Folded char just after the cluster, or {@link #NONE} at the end of the text. */
    int right1() {
        foldRight();
        return right1;
    }

    /** Folded char after {@link #right1()} (dropped chars skipped), or {@link #NONE}. */
    int right2() {
        foldRight();
        return right2;
    }

    /**
     * The chars around a cluster are folded only when a candidate needs them. The char right
     * outside a cluster is never a dropped one (those belong to the cluster). A dropped quote
     * marker as second char behaves like the line break before it (neither is a digit nor alnum).
     */
    private void foldLeft() {
        if (leftFolded) {
            return;
        }
        leftFolded = true;
        left1 = NONE;
        left2 = NONE;
        int i = clusterStart - 1;
        if (i >= 0) {
            if (Character.isLowSurrogate(text[i]) && i > 0 && Character.isHighSurrogate(text[i - 1])) {
                i--;
            }
            left1 = Folding.foldedAt(text, i, length);
            i--;
            while (i >= 0 && Folding.classOf(text[i]) == Folding.DROP) {
                i--;
            }
            if (i >= 0) {
                if (Character.isLowSurrogate(text[i]) && i > 0 && Character.isHighSurrogate(text[i - 1])) {
                    i--;
                }
                left2 = Folding.foldedAt(text, i, length);
            }
        }
    }

    /** Only valid once the cluster has ended (asked for the last run only). */
    private void foldRight() {
        if (rightFolded) {
            return;
        }
        assert ended;
        rightFolded = true;
        right1 = NONE;
        right2 = NONE;
        int i = clusterEnd;
        if (i < length) {
            right1 = Folding.foldedAt(text, i, length);
            i += Character.charCount(Character.codePointAt(text, i, length));
            while (i < length && Folding.classOf(text[i]) == Folding.DROP) {
                i++;
            }
            if (i < length) {
                right2 = Folding.foldedAt(text, i, length);
            }
        }
    }
}
