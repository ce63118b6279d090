package jp.mynaguard.policy.extract;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.archivers.zip.ZipShort;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * An open zip archive (plain zip, OOXML or ODF package) read through its central directory,
 * checked before any entry is inflated: entry count within {@link Limits#maxArchiveEntries()},
 * no entry data outside the archive, and no two entries sharing bytes (the overlapping-entry
 * zip bomb, Fifield 2019, which a ratio check per entry cannot see).
 */
final class ZipPackage implements Closeable {
    /**
     * Entry names without the UTF-8 (EFS) flag: Japanese Windows' built-in zip and most
     * Japanese archivers write them in CP932. Names with the flag are read as UTF-8 regardless.
     */
    static final Charset LEGACY_NAME_CHARSET = Charset.forName("windows-31j");
    /** WinZip AES extra field: the entry is AES-encrypted (compression method 99). */
    private static final ZipShort AES_EXTRA_FIELD = new ZipShort(0x9901);
    private static final int AES_METHOD = 99;

    private final ExtractionContext ctx;
    private final ZipFile zip;
    private final List<ZipArchiveEntry> entries;
    private final Map<String, ZipArchiveEntry> byName = new LinkedHashMap<>();

    private ZipPackage(ExtractionContext ctx, ZipFile zip, List<ZipArchiveEntry> entries) {
        this.ctx = ctx;
        this.zip = zip;
        this.entries = entries;
        for (ZipArchiveEntry e : entries) {
            byName.putIfAbsent(e.getName(), e);
        }
    }

    static ZipPackage open(ExtractionContext ctx, InputSource source) throws IOException {
        SeekableByteChannel channel = source.inMemory()
                ? new SeekableInMemoryByteChannel(source.bytesOrNull())
                : Files.newByteChannel(source.file());
        ZipFile zip = null;
        boolean ok = false;
        try {
            int max = ctx.limits().maxArchiveEntries();
            // Before commons-compress builds an object per central directory entry.
            if (declaredEntryCount(channel) > max) {
                throw tooMany(max);
            }
            try {
                zip = ZipFile.builder().setSeekableByteChannel(channel).setCharset(LEGACY_NAME_CHARSET)
                        .setUseUnicodeExtraFields(true).get();
            } catch (IOException | RuntimeException e) {
                throw Failures.broken("zip", e);
            }
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            if (entries.size() > max) {
                throw tooMany(max);
            }
            checkLayout(entries, channel.size());
            ok = true;
            return new ZipPackage(ctx, zip, entries);
        } finally {
            if (!ok) {
                // The ZipFile owns the channel once built.
                if (zip != null) {
                    zip.close();
                } else {
                    channel.close();
                }
            }
        }
    }

    private static LimitExceededException tooMany(int max) {
        return new LimitExceededException(UnscannableReason.TOO_LARGE, "more than " + max + " archive entries");
    }

    /**
     * The entry count of the end of central directory record (zip64 when the classic field is
     * saturated), or -1 when the record is not found (the zip parser then reports the damage).
     */
    static long declaredEntryCount(SeekableByteChannel ch) throws IOException {
        long size = ch.size();
        int tail = (int) Math.min(size, 22 + 0xffff);
        ByteBuffer buf = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(size - tail);
        while (buf.hasRemaining() && ch.read(buf) > 0) {
            // fill
        }
        for (int i = buf.position() - 22; i >= 0; i--) {
            if (buf.getInt(i) == 0x06054b50) {
                int count = buf.getShort(i + 10) & 0xffff;
                if (count != 0xffff || i < 20 || buf.getInt(i - 20) != 0x07064b50) {
                    return count;
                }
                long zip64Eocd = buf.getLong(i - 20 + 8);
                if (zip64Eocd < 0 || zip64Eocd + 40 > size) {
                    return count;
                }
                ByteBuffer z = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
                ch.position(zip64Eocd);
                while (z.hasRemaining() && ch.read(z) > 0) {
                    // fill
                }
                return z.getInt(0) == 0x06064b50 ? z.getLong(32) : count;
            }
        }
        return -1;
    }

    /**
     * Every entry's local header and data must lie inside the archive, and no two entries may
     * share bytes. Overlapping entries are how a 46 MB zip inflates to petabytes: the same
     * highly compressed data is referenced by thousands of central directory entries.
     */
    private static void checkLayout(List<ZipArchiveEntry> entries, long archiveSize) throws LimitExceededException {
        List<ZipArchiveEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(ZipArchiveEntry::getLocalHeaderOffset));
        long previousEnd = -1;
        for (ZipArchiveEntry e : sorted) {
            long start = e.getLocalHeaderOffset();
            long dataStart = e.getDataOffset();
            long end = dataStart + Math.max(0, e.getCompressedSize());
            if (start < 0 || dataStart < start || end > archiveSize) {
                throw new LimitExceededException(UnscannableReason.MALFORMED, "zip entry data outside the archive");
            }
            if (start < previousEnd) {
                throw new LimitExceededException(UnscannableReason.COMPRESSION_RATIO,
                        "zip entries overlap (zip bomb)");
            }
            previousEnd = end;
        }
    }

    /** Entries in central directory order. */
    List<ZipArchiveEntry> entries() {
        return entries;
    }

    /** The entry of this exact name, or {@code null}. */
    ZipArchiveEntry entry(String name) {
        return byName.get(name);
    }

    boolean isEncrypted(ZipArchiveEntry e) {
        return e.getGeneralPurposeBit().usesEncryption() || e.getGeneralPurposeBit().usesStrongEncryption()
                || e.getMethod() == AES_METHOD || e.getExtraField(AES_EXTRA_FIELD) != null;
    }

    boolean isSupported(ZipArchiveEntry e) {
        return zip.canReadEntryData(e);
    }

    /**
     * The entry's content. Inflated data is guarded (decompressed budget and ratio against the
     * central directory's compressed size); stored data is bounded by the archive itself.
     *
     * @throws LimitExceededException {@code encrypted}, or {@code malformed} for an unsupported method
     */
    InputStream open(ZipArchiveEntry e) throws IOException {
        if (isEncrypted(e)) {
            throw new LimitExceededException(UnscannableReason.ENCRYPTED, "zip entry is encrypted");
        }
        if (!isSupported(e)) {
            throw new LimitExceededException(UnscannableReason.MALFORMED,
                    "unsupported zip compression method " + e.getMethod());
        }
        InputStream in = zip.getInputStream(e);
        if (e.getMethod() == ZipMethod.STORED.getCode()) {
            return in;
        }
        return ctx.guardDecompressed(in, Math.max(1, e.getCompressedSize()));
    }

    /** Spools an entry for nested extraction (memory up to the spool threshold, temp file beyond). */
    InputSource spool(ZipArchiveEntry e) throws IOException {
        try (InputStream in = open(e)) {
            return InputSource.spool(in, ctx.limits().spoolThresholdBytes(), ctx.limits().maxDecompressedBytes());
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
