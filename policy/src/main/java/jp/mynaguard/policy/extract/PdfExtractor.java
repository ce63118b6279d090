package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTerminalField;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A PDF read with PDFBox: the text of each page at {@code <location>/page N}, the values of its
 * form fields at {@code <location>/form}, then the files embedded in it (attachments, portfolios) as nested files at {@code <location>/<file name>}.
 * Text is sorted by position, so a number drawn by several text-show operators on one line is
 * joined. A PDF that needs a password to open is {@code encrypted}.
 *
 * <p>Decoded streams are cached in memory up to {@link #MAIN_MEMORY_BYTES} and in a temporary
 * file beyond, capped at the input's decompressed-bytes budget.
 */
final class PdfExtractor implements FormatExtractor {
    static final long MAIN_MEMORY_BYTES = 8L * 1024 * 1024;
    /** Check the deadline every so many content stream operators. */
    private static final int OPERATORS_PER_DEADLINE_CHECK = 4096;
    private static final int MAX_NAME_TREE_DEPTH = 32;
    private static final int TAIL_BYTES = 64 * 1024;

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        MemoryUsageSetting memory = MemoryUsageSetting.setupMixed(MAIN_MEMORY_BYTES,
                ctx.limits().maxDecompressedBytes());
        PDDocument doc;
        try {
            doc = source.inMemory()
                    ? Loader.loadPDF(source.bytesOrNull(), "", null, null, memory.streamCache)
                    : Loader.loadPDF(source.file().toFile(), "", null, null, memory.streamCache);
        } catch (InvalidPasswordException e) {
            ctx.unscannable(location, UnscannableReason.ENCRYPTED, "PDF is password-protected");
            return;
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof LimitExceededException) && declaresEncryption(source)) {
                // e.g. certificate (public key) encryption, or a security handler PDFBox lacks
                ctx.unscannable(location, UnscannableReason.ENCRYPTED, "PDF is encrypted");
                return;
            }
            throw Failures.broken("PDF", e);
        }
        try (doc) {
            new PageText(ctx, location).writeText(doc, Writer.nullWriter());
            formFields(ctx, location, doc);
            embeddedFiles(ctx, location, doc);
        } catch (IOException e) {
            if (!(e instanceof LimitExceededException) && String.valueOf(e.getMessage()).contains("Maximum allowed")) {
                // PDFBox's scratch storage is capped at the decompressed budget.
                throw new LimitExceededException(UnscannableReason.TOO_LARGE,
                        "PDF streams decompress to more than " + ctx.limits().maxDecompressedBytes() + " bytes");
            }
            throw Failures.broken("PDF", e);
        } catch (RuntimeException e) {
            throw Failures.broken("PDF", e);
        }
    }

    /** Whether the trailer (or xref stream dictionary) near the end of the file names an /Encrypt dictionary. */
    private static boolean declaresEncryption(InputSource source) throws IOException {
        long skip = Math.max(0, source.size() - TAIL_BYTES);
        try (InputStream in = source.openStream()) {
            in.skipNBytes(skip);
            String tail = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return tail.contains("/Encrypt");
        }
    }

    /** Emits each page's text as it is finished. */
    private static final class PageText extends PDFTextStripper {
        private final ExtractionContext ctx;
        private final String location;
        private final StringBuilder page = new StringBuilder();
        private int operators;

        PageText(ExtractionContext ctx, String location) {
            this.ctx = ctx;
            this.location = location;
            setSortByPosition(true);
            setLineSeparator("\n");
            setPageEnd("");
            setArticleStart("");
            setArticleEnd("");
        }

        @Override
        public void writeText(PDDocument doc, Writer ignored) throws IOException {
            super.writeText(doc, new Writer() {
                @Override
                public void write(char[] cbuf, int off, int len) {
                    page.append(cbuf, off, len);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
        }

        @Override
        protected void startPage(PDPage p) throws IOException {
            ctx.checkDeadline();
            page.setLength(0);
            super.startPage(p);
        }

        @Override
        protected void endPage(PDPage p) throws IOException {
            super.endPage(p);
            ctx.emitText(ExtractionContext.join(location, "page " + getCurrentPageNo()), page);
            page.setLength(0);
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            if (++operators % OPERATORS_PER_DEADLINE_CHECK == 0) {
                ctx.checkDeadline();
            }
            super.processOperator(operator, operands);
        }
    }

    /**
     * Values typed into a form (扶養控除等申告書 and the like are often filled-in PDF forms): the
     * page text only has them when the form was flattened. One {@code name: value} line per field.
     */
    private static void formFields(ExtractionContext ctx, String location, PDDocument doc) throws IOException {
        PDAcroForm form = doc.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        int fields = 0;
        for (PDField field : form.getFieldTree()) {
            if (++fields % 256 == 0) {
                ctx.checkDeadline();
            }
            if (field instanceof PDTerminalField) {
                String value = field.getValueAsString();
                if (value != null && !value.isBlank() && !"Off".equals(value)) {
                    String name = field.getFullyQualifiedName();
                    text.append(name == null ? "" : name).append(": ").append(value).append('\n');
                }
            }
        }
        if (text.length() > 0) {
            ctx.emitText(ExtractionContext.join(location, "form"), text);
        }
    }

    private static void embeddedFiles(ExtractionContext ctx, String location, PDDocument doc) throws IOException {
        PDDocumentNameDictionary names = doc.getDocumentCatalog().getNames();
        if (names != null && names.getEmbeddedFiles() != null) {
            walk(ctx, location, names.getEmbeddedFiles(), 0);
        }
    }

    private static void walk(ExtractionContext ctx, String location, PDNameTreeNode<PDComplexFileSpecification> node,
            int depth)
            throws IOException {
        if (depth > MAX_NAME_TREE_DEPTH) {
            throw new LimitExceededException(UnscannableReason.MALFORMED, "PDF name tree nested too deeply");
        }
        Map<String, PDComplexFileSpecification> files = node.getNames();
        if (files != null) {
            for (Map.Entry<String, PDComplexFileSpecification> f : files.entrySet()) {
                embeddedFile(ctx, location, f.getKey(), f.getValue());
            }
        }
        List<PDNameTreeNode<PDComplexFileSpecification>> kids = node.getKids();
        if (kids != null) {
            for (PDNameTreeNode<PDComplexFileSpecification> kid : kids) {
                walk(ctx, location, kid, depth + 1);
            }
        }
    }

    private static void embeddedFile(ExtractionContext ctx, String location, String key,
            PDComplexFileSpecification spec) throws IOException {
        if (spec == null) {
            return;
        }
        PDEmbeddedFile file = spec.getEmbeddedFileUnicode();
        if (file == null) {
            file = spec.getEmbeddedFile();
        }
        if (file == null) {
            return;
        }
        ctx.countPart();
        String name = spec.getFileUnicode() != null ? spec.getFileUnicode()
                : spec.getFilename() != null ? spec.getFilename() : key;
        String fileLocation = ExtractionContext.join(location, name);
        InputSource content;
        try (InputStream in = ctx.guardDecompressed(file.createInputStream(), Math.max(1, file.getLength()))) {
            content = InputSource.spool(in, ctx.limits().spoolThresholdBytes(), ctx.limits().maxDecompressedBytes());
        } catch (LimitExceededException e) {
            if (e.reason() == UnscannableReason.TIMEOUT || e.reason() == UnscannableReason.TOO_LARGE) {
                throw e;
            }
            ctx.unscannable(fileLocation, e.reason(), e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            ctx.unscannable(fileLocation, UnscannableReason.MALFORMED, Failures.detail("embedded file", e));
            return;
        }
        try (content) {
            ctx.extractNested(fileLocation, name, null, content);
        }
    }
}
