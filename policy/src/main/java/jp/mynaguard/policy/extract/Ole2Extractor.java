package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.hslf.usermodel.HSLFShape;
import org.apache.poi.hslf.usermodel.HSLFSlide;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTextParagraph;
import org.apache.poi.hssf.extractor.OldExcelExtractor;
import org.apache.poi.hwpf.OldWordFileFormatException;
import org.apache.poi.hwpf.extractor.Word6Extractor;
import org.apache.poi.hwpf.extractor.WordExtractor;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.Ole10Native;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.sl.extractor.SlideShowExtractor;

/**
 * OLE2 compound files (legacy Office, and the wrapper of password-protected OOXML files).
 * Registered for {@link Format#OLE2}, {@link Format#XLS} and {@link Format#DOC}; the streams in
 * the file decide what it is:
 * <ul>
 * <li>{@code EncryptionInfo} + {@code EncryptedPackage}: an encrypted xlsx/docx/pptx → {@code encrypted};</li>
 * <li>{@code Workbook}: Excel 97-2003, read record by record ({@link XlsReader}); {@code Book}: Excel 5/95;</li>
 * <li>{@code WordDocument}: Word 97-2003 (HWPF), or Word 6/95;</li>
 * <li>{@code PowerPoint Document}: PowerPoint 97-2003 (HSLF), at {@code <location>/slide N};</li>
 * <li>{@code \1Ole10Native} or {@code Package}: an embedded file (an OLE object in a document), extracted nested.</li>
 * </ul>
 * Anything else (Outlook .msg, Visio, VBA projects) goes to the binary extractor's text scan.
 * Password-protected legacy files make POI throw {@link EncryptedDocumentException} → {@code encrypted}.
 */
final class Ole2Extractor implements FormatExtractor {
    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        byte[] head = source.head(8);
        if (FormatRegistry.byMagic(head) != Format.OLE2) {
            // A ".xls" or ".doc" that is really HTML, SpreadsheetML 2003 XML or tab-separated text,
            // as many business systems export them.
            ctx.extractAs(textFormatOf(source.head(512)), location, source);
            return;
        }
        try (POIFSFileSystem fs = source.inMemory()
                ? new POIFSFileSystem(source.openStream())
                : new POIFSFileSystem(source.file().toFile(), true)) {
            if (!read(ctx, location, fs.getRoot())) {
                ctx.extractAs(Format.BINARY, location, source);
            }
        } catch (EncryptedDocumentException e) {
            ctx.unscannable(location, UnscannableReason.ENCRYPTED, "password-protected Office document");
        } catch (IOException | RuntimeException e) {
            throw Failures.broken("Office document", e);
        }
    }

    static Format textFormatOf(byte[] head) {
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        if (i < head.length && head[i] == '<') {
            return i + 1 < head.length && head[i + 1] == '?' ? Format.XML : Format.HTML;
        }
        return Format.TEXT;
    }

    /** @return whether the file was a kind this class reads */
    private static boolean read(ExtractionContext ctx, String location, DirectoryNode root) throws IOException {
        if (root.hasEntryCaseInsensitive("EncryptionInfo") && root.hasEntryCaseInsensitive("EncryptedPackage")) {
            ctx.unscannable(location, UnscannableReason.ENCRYPTED, "password-protected Office document");
            return true;
        }
        String workbook = root.hasEntryCaseInsensitive("Workbook") ? "Workbook" : null;
        if (workbook != null) {
            try (InputStream in = root.createDocumentInputStream(root.getEntryCaseInsensitive(workbook))) {
                new XlsReader(ctx, location, in).read();
            }
            return true;
        }
        if (root.hasEntryCaseInsensitive("Book")) {
            try (OldExcelExtractor old = new OldExcelExtractor(root)) {
                ctx.emitText(location, old.getText());
            }
            return true;
        }
        if (root.hasEntryCaseInsensitive("WordDocument")) {
            ctx.emitText(location, wordText(root));
            return true;
        }
        if (root.hasEntryCaseInsensitive("PowerPoint Document")) {
            slides(ctx, location, root);
            return true;
        }
        if (root.hasEntryCaseInsensitive(Ole10Native.OLE10_NATIVE)) {
            embedded(ctx, location, root);
            return true;
        }
        if (root.hasEntryCaseInsensitive("Package")) {
            nested(ctx, location, null, root, "Package");
            return true;
        }
        return false;
    }

    private static String wordText(DirectoryNode root) throws IOException {
        try (WordExtractor word = new WordExtractor(root)) {
            return word.getText();
        } catch (OldWordFileFormatException e) {
            try (Word6Extractor old = new Word6Extractor(root)) {
                return old.getText();
            }
        }
    }

    private static void slides(ExtractionContext ctx, String location, DirectoryNode root) throws IOException {
        try (HSLFSlideShow show = new HSLFSlideShow(root);
                SlideShowExtractor<HSLFShape, HSLFTextParagraph> text = new SlideShowExtractor<>(show)) {
            text.setNotesByDefault(true);
            text.setCommentsByDefault(true);
            text.setCloseFilesystem(false);
            List<HSLFSlide> slides = show.getSlides();
            for (int i = 0; i < slides.size(); i++) {
                ctx.checkDeadline();
                ctx.emitText(ExtractionContext.join(location, "slide " + (i + 1)), text.getText(slides.get(i)));
            }
        }
    }

    /** An OLE "Package" object: a file dropped into a document, with its original name. */
    private static void embedded(ExtractionContext ctx, String location, DirectoryNode root) throws IOException {
        Ole10Native ole;
        try {
            ole = Ole10Native.createFromEmbeddedOleObject(root);
        } catch (org.apache.poi.poifs.filesystem.Ole10NativeException e) {
            throw new IOException("broken OLE object", e);
        }
        String name = ole.getFileName() != null && !ole.getFileName().isBlank() ? ole.getFileName() : ole.getLabel();
        if (name != null) {
            String n = name.replace('\\', '/');
            name = n.substring(n.lastIndexOf('/') + 1);
        }
        ctx.countPart();
        try (InputSource content = InputSource.of(ole.getDataBuffer())) {
            ctx.extractNested(ExtractionContext.join(location, name == null ? "object" : name), name, null, content);
        }
    }

    private static void nested(ExtractionContext ctx, String location, String name, DirectoryNode root,
            String stream) throws IOException {
        ctx.countPart();
        try (InputStream in = root.createDocumentInputStream(root.getEntryCaseInsensitive(stream));
                InputSource content = InputSource.spool(in, ctx.limits().spoolThresholdBytes(),
                        ctx.limits().maxDecompressedBytes())) {
            ctx.extractNested(ExtractionContext.join(location, name == null ? stream : name), name, null, content);
        }
    }
}
