package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Zip archives and the zip-based document formats. Registered for {@link Format#ZIP},
 * {@link Format#XLSX}, {@link Format#DOCX}, {@link Format#PPTX} and {@link Format#ODF}: the
 * package's content decides how it is read (see {@link OoxmlParts#kind}), so a misnamed file
 * is neither skipped nor misread.
 *
 * <p>Entries of a plain zip are files, dispatched by name at {@code <zip location>/<entry name>}.
 * In a document package the text parts are read by the format's reader and the other files
 * in it (embedded workbooks, OLE objects, anything smuggled in) are dispatched like zip entries.
 */
final class ZipExtractor implements FormatExtractor {
    /** Package files that carry no text we can read: pictures, fonts, thumbnails. */
    private static final Set<String> SKIPPED_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "emf", "wmf", "emz", "wmz", "svg", "ico",
            "odttf", "fntdata", "ttf", "otf");

    private final Ole2Extractor ole2;

    ZipExtractor(Ole2Extractor ole2) {
        this.ole2 = ole2;
    }

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        if (FormatRegistry.byMagic(source.head(8)) == Format.OLE2) {
            // A password-protected xlsx/docx/pptx is an OLE2 file that keeps its OOXML name.
            ole2.extract(ctx, location, source);
            return;
        }
        try (ZipPackage pkg = ZipPackage.open(ctx, source)) {
            Format kind = OoxmlParts.kind(pkg);
            switch (kind) {
                case XLSX -> new XlsxReader(ctx, location, pkg).read();
                case DOCX -> new DocxReader(ctx, location, pkg).read();
                case PPTX -> new PptxReader(ctx, location, pkg).read();
                case ODF -> new OdfReader(ctx, location, pkg).read();
                default -> {
                    for (ZipArchiveEntry e : pkg.entries()) {
                        scanEntry(ctx, location, pkg, e);
                    }
                    return;
                }
            }
            for (ZipArchiveEntry e : pkg.entries()) {
                if (isEmbeddedFile(e.getName())) {
                    scanEntry(ctx, location, pkg, e);
                }
            }
        }
    }

    /**
     * Whether a file inside a document package is content of its own rather than part of the
     * document's markup: OLE objects, embedded workbooks, attachments, unknown files.
     */
    static boolean isEmbeddedFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith("/") || lower.endsWith(".xml") || lower.endsWith(".rels") || lower.endsWith(".vml")
                || lower.equals("mimetype")) {
            return false;
        }
        int dot = lower.lastIndexOf('.');
        return dot < 0 || !SKIPPED_EXTENSIONS.contains(lower.substring(dot + 1));
    }

    /**
     * Extracts one entry as a nested file. An encrypted entry, an unsupported method, an entry
     * over the compression ratio or broken compressed data make that entry unscannable and the
     * other entries are still read; running out of the input's budget or time ends the archive.
     */
    static void scanEntry(ExtractionContext ctx, String location, ZipPackage pkg, ZipArchiveEntry e)
            throws IOException {
        if (e.isDirectory()) {
            return;
        }
        ctx.countPart();
        String entryLocation = ExtractionContext.join(location, e.getName());
        InputSource content;
        try {
            content = pkg.spool(e);
        } catch (LimitExceededException ex) {
            if (ex.reason() == UnscannableReason.TIMEOUT || ex.reason() == UnscannableReason.TOO_LARGE) {
                throw ex;
            }
            ctx.unscannable(entryLocation, ex.reason(), ex.getMessage());
            return;
        } catch (IOException | RuntimeException ex) {
            ctx.unscannable(entryLocation, UnscannableReason.MALFORMED, Failures.detail("zip entry", ex));
            return;
        }
        try (content) {
            ctx.extractNested(entryLocation, e.getName(), null, content);
        }
    }
}
