package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Base of the readers of one zip-based document (workbook, document, presentation, ODF): the
 * part-by-part error handling they share. A broken, encrypted or over-ratio part is recorded at
 * that part's location and the other parts are still read; the input's decompressed budget and
 * time end the whole document.
 */
abstract class PackageReader {
    protected final ExtractionContext ctx;
    protected final String location;
    protected final ZipPackage pkg;

    PackageReader(ExtractionContext ctx, String location, ZipPackage pkg) {
        this.ctx = ctx;
        this.location = location;
        this.pkg = pkg;
    }

    /** Reads the text of the whole package. */
    abstract void read() throws IOException;

    @FunctionalInterface
    interface PartBody {
        void read(InputStream in) throws IOException;
    }

    /**
     * Opens the part and runs {@code body} on its (guarded) content; failures are recorded at
     * {@code partLocation}. Does nothing when the part is absent.
     *
     * @return whether the part was read without failure
     */
    protected boolean part(String partLocation, String partName, PartBody body) throws IOException {
        ZipArchiveEntry e = pkg.entry(partName);
        if (e == null) {
            return false;
        }
        try (InputStream in = pkg.open(e)) {
            body.read(in);
            return true;
        } catch (LimitExceededException ex) {
            if (ex.reason() == UnscannableReason.TIMEOUT || ex.reason() == UnscannableReason.TOO_LARGE) {
                throw ex;
            }
            ctx.unscannable(partLocation, ex.reason(), ex.getMessage());
        } catch (IOException | RuntimeException ex) {
            ctx.unscannable(partLocation, UnscannableReason.MALFORMED, Failures.detail("document part", ex));
        }
        return false;
    }

    /** Emits a part as running text, read with the given markup dialect. */
    protected void text(String partLocation, String partName, MarkupText.Dialect dialect) throws IOException {
        part(partLocation, partName, in -> {
            try (MarkupText reader = new MarkupText(ctx, in, partName, dialect)) {
                ctx.emitText(partLocation, reader, null, null);
            }
        });
    }

    /** {@code word/header1.xml} → {@code header1}. */
    static String baseName(String partName) {
        String s = partName.substring(partName.lastIndexOf('/') + 1);
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
