package jp.mynaguard.policy.extract;

import java.time.Duration;

/**
 * Every resource limit of content extraction, with its default, in one place.
 *
 * <p>Hitting a limit never throws out of the extractor and never passes content silently: the
 * part concerned becomes an {@link Unscannable} with the reason named below, and the rest of the
 * input is still scanned.
 */
public final class Limits {
    /** Containers inside containers (multipart, message/rfc822, zip, gzip, OOXML): {@code too-deep}. */
    public static final int DEFAULT_MAX_DEPTH = 12;
    /** MIME parts, form fields and files in one input: {@code too-large}. */
    public static final int DEFAULT_MAX_PARTS = 1000;
    /** Bytes of one header block (message, part or HTTP request): {@code malformed}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** Bytes produced by decompression (zip, gzip, deflate, OOXML, PDF streams) per input: {@code too-large}. */
    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 256L * 1024 * 1024;
    /** Inflated / compressed size of one stream, checked once past the grace size: {@code compression-ratio}. */
    public static final int DEFAULT_MAX_COMPRESSION_RATIO = 100;
    /** Decompressed bytes of one stream before the ratio is enforced (small files compress well too). */
    public static final long DEFAULT_RATIO_GRACE_BYTES = 1024 * 1024;
    /** Entries of one archive: {@code too-large}. */
    public static final int DEFAULT_MAX_ARCHIVE_ENTRIES = 10_000;
    /** Wall-clock time to extract one input: {@code timeout}. */
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(60);
    /** Inputs larger than this are spooled to a temporary file instead of being held in memory. */
    public static final int DEFAULT_SPOOL_THRESHOLD_BYTES = 1024 * 1024;
    /** Characters of text handed to the detector at once; longer texts are cut into overlapping chunks. */
    public static final int DEFAULT_CHUNK_CHARS = 256 * 1024;
    /** Characters two consecutive chunks share, so a number and its context on a boundary are seen whole. */
    public static final int DEFAULT_CHUNK_OVERLAP_CHARS = 2048;

    private final int maxDepth;
    private final int maxParts;
    private final int maxHeaderBytes;
    private final long maxDecompressedBytes;
    private final int maxCompressionRatio;
    private final long ratioGraceBytes;
    private final int maxArchiveEntries;
    private final Duration maxTime;
    private final int spoolThresholdBytes;
    private final int chunkChars;
    private final int chunkOverlapChars;

    private Limits(Builder b) {
        this.maxDepth = positive(b.maxDepth, "maxDepth");
        this.maxParts = positive(b.maxParts, "maxParts");
        this.maxHeaderBytes = positive(b.maxHeaderBytes, "maxHeaderBytes");
        this.maxDecompressedBytes = positive(b.maxDecompressedBytes, "maxDecompressedBytes");
        this.maxCompressionRatio = positive(b.maxCompressionRatio, "maxCompressionRatio");
        this.ratioGraceBytes = positive(b.ratioGraceBytes, "ratioGraceBytes");
        this.maxArchiveEntries = positive(b.maxArchiveEntries, "maxArchiveEntries");
        if (b.maxTime == null || b.maxTime.isNegative() || b.maxTime.isZero()) {
            throw new IllegalArgumentException("maxTime must be positive");
        }
        this.maxTime = b.maxTime;
        this.spoolThresholdBytes = positive(b.spoolThresholdBytes, "spoolThresholdBytes");
        this.chunkChars = positive(b.chunkChars, "chunkChars");
        this.chunkOverlapChars = positive(b.chunkOverlapChars, "chunkOverlapChars");
        if (chunkOverlapChars * 4 > chunkChars) {
            throw new IllegalArgumentException("chunkOverlapChars must be at most a quarter of chunkChars");
        }
    }

    private static <N extends Number> N positive(N n, String name) {
        if (n.longValue() <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + n);
        }
        return n;
    }

    public static Limits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxDepth(maxDepth).maxParts(maxParts).maxHeaderBytes(maxHeaderBytes)
                .maxDecompressedBytes(maxDecompressedBytes).maxCompressionRatio(maxCompressionRatio)
                .ratioGraceBytes(ratioGraceBytes).maxArchiveEntries(maxArchiveEntries).maxTime(maxTime)
                .spoolThresholdBytes(spoolThresholdBytes).chunkChars(chunkChars).chunkOverlapChars(chunkOverlapChars);
    }

    public int maxDepth() { return maxDepth; }
    public int maxParts() { return maxParts; }
    public int maxHeaderBytes() { return maxHeaderBytes; }
    public long maxDecompressedBytes() { return maxDecompressedBytes; }
    public int maxCompressionRatio() { return maxCompressionRatio; }
    public long ratioGraceBytes() { return ratioGraceBytes; }
    public int maxArchiveEntries() { return maxArchiveEntries; }
    public Duration maxTime() { return maxTime; }
    public int spoolThresholdBytes() { return spoolThresholdBytes; }
    public int chunkChars() { return chunkChars; }
    public int chunkOverlapChars() { return chunkOverlapChars; }

    @Override
    public String toString() {
        return "Limits{depth=" + maxDepth + ", parts=" + maxParts + ", headerBytes=" + maxHeaderBytes
                + ", decompressedBytes=" + maxDecompressedBytes + ", ratio=" + maxCompressionRatio
                + ", ratioGrace=" + ratioGraceBytes + ", archiveEntries=" + maxArchiveEntries
                + ", time=" + maxTime + ", spool=" + spoolThresholdBytes + ", chunk=" + chunkChars
                + "/" + chunkOverlapChars + "}";
    }

    public static final class Builder {
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int maxParts = DEFAULT_MAX_PARTS;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private long maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES;
        private int maxCompressionRatio = DEFAULT_MAX_COMPRESSION_RATIO;
        private long ratioGraceBytes = DEFAULT_RATIO_GRACE_BYTES;
        private int maxArchiveEntries = DEFAULT_MAX_ARCHIVE_ENTRIES;
        private Duration maxTime = DEFAULT_MAX_TIME;
        private int spoolThresholdBytes = DEFAULT_SPOOL_THRESHOLD_BYTES;
        private int chunkChars = DEFAULT_CHUNK_CHARS;
        private int chunkOverlapChars = DEFAULT_CHUNK_OVERLAP_CHARS;

        private Builder() {
        }

        public Builder maxDepth(int v) { maxDepth = v; return this; }
        public Builder maxParts(int v) { maxParts = v; return this; }
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        public Builder maxDecompressedBytes(long v) { maxDecompressedBytes = v; return this; }
        public Builder maxCompressionRatio(int v) { maxCompressionRatio = v; return this; }
        public Builder ratioGraceBytes(long v) { ratioGraceBytes = v; return this; }
        public Builder maxArchiveEntries(int v) { maxArchiveEntries = v; return this; }
        public Builder maxTime(Duration v) { maxTime = v; return this; }
        public Builder spoolThresholdBytes(int v) { spoolThresholdBytes = v; return this; }
        public Builder chunkChars(int v) { chunkChars = v; return this; }
        public Builder chunkOverlapChars(int v) { chunkOverlapChars = v; return this; }

        public Limits build() {
            return new Limits(this);
        }
    }
}
