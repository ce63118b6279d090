package jp.mynaguard.policy.extract;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A gzip file: its content is inflated (guarded: decompressed budget and ratio) and extracted as
 * a nested file named after the outer one without {@code .gz} ({@code list.csv.gz} →
 * {@code list.csv}), or after the name in the gzip header. A tar inside ({@code .tgz},
 * {@code .tar.gz}, or a ustar header) is read entry by entry at {@code <location>/<entry name>}
 * while it streams, without spooling the whole tar.
 */
final class GzipExtractor implements FormatExtractor {
    private static final int TAR_BLOCK = 512;

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        try {
            read(ctx, location, source);
        } catch (IOException | RuntimeException e) {
            throw Failures.broken("gzip or tar data", e);
        }
    }

    private static void read(ExtractionContext ctx, String location, InputSource source) throws IOException {
        try (InputStream raw = new BufferedInputStream(source.openStream());
                GzipCompressorInputStream gz = GzipCompressorInputStream.builder().setInputStream(raw)
                        .setDecompressConcatenated(true).get()) {
            InputStream in = new BufferedInputStream(ctx.guardDecompressed(gz, source.size()), 64 * 1024);
            String name = innerName(lastName(location), gz.getMetaData().getFileName());
            if (isTar(name, in)) {
                readTar(ctx, location, in);
                return;
            }
            String inner = name == null ? "content" : name;
            try (InputSource content = InputSource.spool(in, ctx.limits().spoolThresholdBytes(),
                    ctx.limits().maxDecompressedBytes())) {
                ctx.extractNested(ExtractionContext.join(location, inner), name, null, content);
            }
        }
    }

    /** The last path element of a location ({@code attachment:a.zip/b.csv.gz} → {@code b.csv.gz}). */
    static String lastName(String location) {
        if (location == null) {
            return null;
        }
        String s = location.substring(location.lastIndexOf('/') + 1);
        return s.substring(s.lastIndexOf(':') + 1);
    }

    /** The name of the content: the outer name without its gzip suffix, else the header's name. */
    static String innerName(String outer, String headerName) {
        if (outer != null) {
            String lower = outer.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".tgz")) {
                return outer.substring(0, outer.length() - 4) + ".tar";
            }
            if (lower.endsWith(".gz") && outer.length() > 3) {
                return outer.substring(0, outer.length() - 3);
            }
            if (lower.endsWith(".gzip") && outer.length() > 5) {
                return outer.substring(0, outer.length() - 5);
            }
        }
        if (headerName != null && !headerName.isBlank()) {
            String h = headerName.replace('\\', '/');
            return h.substring(h.lastIndexOf('/') + 1);
        }
        return null;
    }

    /** By name, or by the {@code ustar} magic of the first header block (POSIX and GNU tar). */
    private static boolean isTar(String name, InputStream in) throws IOException {
        if (name != null && name.toLowerCase(Locale.ROOT).endsWith(".tar")) {
            return true;
        }
        in.mark(TAR_BLOCK);
        byte[] block = in.readNBytes(TAR_BLOCK);
        in.reset();
        return block.length == TAR_BLOCK && block[257] == 'u' && block[258] == 's' && block[259] == 't'
                && block[260] == 'a' && block[261] == 'r';
    }

    private static void readTar(ExtractionContext ctx, String location, InputStream in) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            int entries = 0;
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++entries > ctx.limits().maxArchiveEntries()) {
                    throw new LimitExceededException(UnscannableReason.TOO_LARGE,
                            "more than " + ctx.limits().maxArchiveEntries() + " archive entries");
                }
                if (!e.isFile()) {
                    continue;
                }
                ctx.countPart();
                String entryLocation = ExtractionContext.join(location, e.getName());
                try (InputSource content = InputSource.spool(tar, ctx.limits().spoolThresholdBytes(),
                        ctx.limits().maxDecompressedBytes())) {
                    ctx.extractNested(entryLocation, e.getName(), null, content);
                }
            }
        }
    }
}
