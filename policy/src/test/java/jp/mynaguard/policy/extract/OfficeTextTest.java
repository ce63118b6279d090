package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextParagraph;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.model.XWPFHeaderFooterPolicy;
import org.junit.jupiter.api.Test;

/** Word, PowerPoint, OpenDocument and RTF text, and encrypted Office files. */
class OfficeTextTest {
    private static final String N1 = DocTestSupport.myNumber("12345678901");
    private static final String N2 = DocTestSupport.myNumber("48870956888");
    private static final String N3 = DocTestSupport.myNumber("31415926535");

    private static byte[] docx() throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            XWPFParagraph p = doc.createParagraph();
            p.createRun().setText("個人番号：");
            p.createRun().setText(N1.substring(0, 4));
            XWPFRun bold = p.createRun();
            bold.setBold(true);
            bold.setText(N1.substring(4));
            XWPFParagraph q = doc.createParagraph();
            XWPFRun r = q.createRun();
            r.setText("氏名");
            r.addTab();
            r.setText("山田");
            r.addBreak();
            r.setText("次の行");
            XWPFTable t = doc.createTable(2, 2);
            t.getRow(0).getCell(0).setText("氏名");
            t.getRow(0).getCell(1).setText("番号");
            t.getRow(1).getCell(0).setText("佐藤");
            t.getRow(1).getCell(1).setText(N2);
            XWPFHeaderFooterPolicy hf = doc.createHeaderFooterPolicy();
            hf.createFooter(XWPFHeaderFooterPolicy.DEFAULT).createParagraph().createRun().setText("footer " + N3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void docxParagraphsRunsTabsBreaksTablesAndFooters() throws IOException {
        RecordingSink sink = DocTestSupport.extract("d.docx", docx());
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        String body = sink.textAt("d.docx");
        assertTrue(body.startsWith("個人番号：" + N1 + "\n氏名\t山田\n次の行\n"), body);
        assertTrue(body.contains("氏名\t番号\n佐藤\t" + N2 + "\n"), body);
        assertEquals(List.of("d.docx", "d.docx/footer1"), sink.locations());
        assertTrue(sink.textAt("d.docx/footer1").contains("footer " + N3));
    }

    @Test
    void docxDeletedTextTabStopsAndFallbacks() throws IOException {
        String w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
                + " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";
        String document = "<w:document " + w + "><w:body>"
                + "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
                + "<w:r><w:t>A</w:t></w:r><w:del><w:r><w:delText>" + N1 + "</w:delText></w:r></w:del></w:p>"
                + "<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>box</w:t></mc:Choice>"
                + "<mc:Fallback><w:t>box</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
                + "</w:body></w:document>";
        byte[] docx = ZipExtractorTest.zip("[Content_Types].xml", "<Types/>", "word/document.xml", document);
        RecordingSink sink = DocTestSupport.extract("d.docx", docx);
        assertEquals("A" + N1 + "\nbox\n", sink.textAt("d.docx"));
    }

    @Test
    void xmlEntitiesAndDtdsAreNotResolved() throws IOException {
        String document = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
                + "<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>";
        byte[] docx = ZipExtractorTest.zip("[Content_Types].xml", "<Types/>", "word/document.xml", document,
                "word/embeddings/list.txt", "embedded " + N2);
        RecordingSink sink = DocTestSupport.extract("d.docx", docx);
        String hostname = java.nio.file.Files.exists(java.nio.file.Path.of("/etc/hostname"))
                ? java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).trim() : "\u0000";
        assertFalse(!hostname.isEmpty() && sink.allText().contains(hostname));
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());
        assertEquals("d.docx", sink.unscannables.get(0).location());
        // The embedded file is still scanned.
        assertTrue(sink.textAt("d.docx/word/embeddings/list.txt").contains(N2));
    }

    @Test
    void pptxSlidesInOrderWithNotes() throws IOException {
        byte[] pptx;
        try (XMLSlideShow show = new XMLSlideShow()) {
            XSLFSlide one = show.createSlide();
            one.createTextBox().setText("表紙");
            XSLFSlide two = show.createSlide();
            XSLFTextShape box = two.createTextBox();
            XSLFTextParagraph p = box.addNewTextParagraph();
            p.addNewTextRun().setText("個人番号 " + N1.substring(0, 6));
            p.addNewTextRun().setText(N1.substring(6));
            show.getNotesSlide(two).getPlaceholder(1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            pptx = out.toByteArray();
        }
        RecordingSink sink = DocTestSupport.extract("s.pptx", pptx);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals("s.pptx/slide 1", sink.locations().get(0));
        assertEquals("s.pptx/slide 2", sink.locations().get(1));
        assertTrue(sink.textAt("s.pptx/slide 2").contains("個人番号 " + N1));
        assertFalse(sink.textAt("s.pptx/slide 1").contains(N1));
    }

    @Test
    void openDocumentText() throws IOException {
        String content = "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
                + " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"><office:body><office:text>"
                + "<text:h>見出し</text:h><text:p>番号<text:s/>" + N1.substring(0, 4) + "<text:span>" + N1.substring(4)
                + "</text:span></text:p><table:table><table:table-row><table:table-cell><text:p>佐藤</text:p>"
                + "</table:table-cell><table:table-cell table:number-columns-repeated=\"1000\"/><table:table-cell>"
                + "<text:p>" + N2 + "</text:p></table:table-cell></table:table-row></table:table>"
                + "</office:text></office:body></office:document-content>";
        byte[] odt = ZipExtractorTest.zip("mimetype", "application/vnd.oasis.opendocument.text",
                "content.xml", content, "META-INF/manifest.xml", "<manifest/>");
        RecordingSink sink = DocTestSupport.extract("o.odt", odt);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals("見出し\n番号 " + N1 + "\n佐藤\t\t" + N2 + "\n", sink.textAt("o.odt"));
    }

    @Test
    void encryptedOpenDocumentIsEncrypted() throws IOException {
        String manifest = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                + "<manifest:file-entry manifest:full-path=\"content.xml\"><manifest:encryption-data/>"
                + "</manifest:file-entry></manifest:manifest>";
        byte[] odt = ZipExtractorTest.zip("mimetype", "application/vnd.oasis.opendocument.text",
                "content.xml", "\u0001\u0002binary", "META-INF/manifest.xml", manifest);
        RecordingSink sink = DocTestSupport.extract("o.odt", odt);
        assertEquals(UnscannableReason.ENCRYPTED, sink.unscannables.get(0).reason());
    }

    @Test
    void encryptedOoxmlIsEncrypted() throws Exception {
        byte[] plain = docx();
        POIFSFileSystem fs = new POIFSFileSystem();
        EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
        Encryptor enc = info.getEncryptor();
        enc.confirmPassword("secret");
        try (OPCPackage opc = OPCPackage.open(new java.io.ByteArrayInputStream(plain));
                OutputStream os = enc.getDataStream(fs)) {
            opc.save(os);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fs.writeFilesystem(out);
        fs.close();
        RecordingSink sink = DocTestSupport.extract("secret.docx", out.toByteArray());
        assertEquals(List.of(new Unscannable("secret.docx", UnscannableReason.ENCRYPTED,
                "password-protected Office document")), sink.unscannables);
        assertTrue(sink.segments.isEmpty());

        // Inside a zip, the other entries are still scanned.
        byte[] zip = ZipExtractorTest.zip("secret.xlsx", out.toByteArray(), "note.txt", N3);
        RecordingSink z = DocTestSupport.extract("a.zip", zip);
        assertEquals("a.zip/secret.xlsx", z.unscannables.get(0).location());
        assertTrue(z.textAt("a.zip/note.txt").contains(N3));
    }

    @Test
    void rtfWithJapaneseCodePageAndUnicodeEscapes() throws IOException {
        Charset sjis = Charset.forName("windows-31j");
        StringBuilder hex = new StringBuilder();
        for (byte b : "個人番号".getBytes(sjis)) {
            hex.append("\\'").append(String.format("%02x", b & 0xff));
        }
        String rtf = "{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fnil\\fcharset128 MS Mincho;}}"
                + "{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator Test;}"
                + "\\f0 " + hex + "\\'81\\'46" + N1.substring(0, 6) + "{\\b " + N1.substring(6) + "}\\par "
                + "\\uc1\\u27663?\\u21517? " + N2 + "\\tab x\\par"
                + "{\\pict\\pngblip 89504e47}{\\*\\fldinst HYPERLINK \"http://example.test\"}{\\fldrslt link}}";
        RecordingSink sink = DocTestSupport.extract("r.rtf", rtf.getBytes(StandardCharsets.US_ASCII));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals("個人番号：" + N1 + "\n氏名 " + N2 + "\tx\nlink", sink.textAt("r.rtf"));
    }

    @Test
    void officeNamedFileThatIsHtmlGoesToTheTextFormats() throws IOException {
        RecordingSink sink = DocTestSupport.extract("export.xls", ("氏名\t番号\n山田\t" + N1).getBytes(StandardCharsets.UTF_8));
        assertTrue(sink.allText().contains(N1));
        assertTrue(sink.unscannables.isEmpty());
    }
}
