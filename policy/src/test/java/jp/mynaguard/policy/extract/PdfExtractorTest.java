package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class PdfExtractorTest {
    private static final String N1 = DocTestSupport.myNumber("12345678901");
    private static final String N2 = DocTestSupport.myNumber("48870956888");

    /** Page 1: a number drawn by two text-show operators on one line; page 2: another number. */
    private static PDDocument twoPages() throws IOException {
        PDDocument doc = new PDDocument();
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDPage one = new PDPage();
        doc.addPage(one);
        try (PDPageContentStream cs = new PDPageContentStream(doc, one)) {
            cs.beginText();
            cs.setFont(font, 11);
            cs.newLineAtOffset(72, 700);
            cs.showText("My Number: ");
            cs.showText(N1.substring(0, 6));
            cs.showText(N1.substring(6));
            cs.endText();
        }
        PDPage two = new PDPage();
        doc.addPage(two);
        try (PDPageContentStream cs = new PDPageContentStream(doc, two)) {
            cs.beginText();
            cs.setFont(font, 11);
            cs.newLineAtOffset(72, 700);
            cs.showText("Second " + N2);
            cs.endText();
        }
        return doc;
    }

    private static byte[] save(PDDocument doc) throws IOException {
        try (doc) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void pagesAreSegmentsWithSplitNumbersJoined() throws IOException {
        RecordingSink sink = DocTestSupport.extract("f.pdf", save(twoPages()));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("f.pdf/page 1", "f.pdf/page 2"), sink.locations());
        assertTrue(sink.textAt("f.pdf/page 1").contains("My Number: " + N1), sink.textAt("f.pdf/page 1"));
        assertTrue(sink.textAt("f.pdf/page 2").contains(N2));
    }

    @Test
    void userPasswordIsEncrypted() throws IOException {
        PDDocument doc = twoPages();
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
        policy.setEncryptionKeyLength(128);
        doc.protect(policy);
        RecordingSink sink = DocTestSupport.extract("f.pdf", save(doc));
        assertEquals(List.of(new Unscannable("f.pdf", UnscannableReason.ENCRYPTED, "PDF is password-protected")),
                sink.unscannables);
        assertTrue(sink.segments.isEmpty());
    }

    @Test
    void ownerPasswordOnlyIsStillRead() throws IOException {
        PDDocument doc = twoPages();
        AccessPermission none = new AccessPermission();
        none.setCanExtractContent(false);
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "", none);
        policy.setEncryptionKeyLength(128);
        doc.protect(policy);
        RecordingSink sink = DocTestSupport.extract("f.pdf", save(doc));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertTrue(sink.allText().contains(N1));
    }

    @Test
    void brokenPdfIsMalformed() throws IOException {
        byte[] junk = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer garbage"
                .getBytes(StandardCharsets.US_ASCII);
        RecordingSink sink = DocTestSupport.extract("f.pdf", junk);
        assertEquals(1, sink.unscannables.size(), sink.unscannables::toString);
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());

        byte[] good = save(twoPages());
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 3);
        RecordingSink sink2 = DocTestSupport.extract("g.pdf", cut);
        assertFalse(sink2.unscannables.isEmpty() && sink2.segments.isEmpty());
    }

    @Test
    void formFieldValuesAreRead() throws IOException {
        PDDocument doc = twoPages();
        org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm form =
                new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(doc);
        doc.getDocumentCatalog().setAcroForm(form);
        org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
        resources.put(org.apache.pdfbox.cos.COSName.getPDFName("Helv"),
                new PDType1Font(Standard14Fonts.FontName.HELVETICA));
        form.setDefaultResources(resources);
        form.setDefaultAppearance("/Helv 0 Tf 0 g");
        org.apache.pdfbox.pdmodel.interactive.form.PDTextField field =
                new org.apache.pdfbox.pdmodel.interactive.form.PDTextField(form);
        field.setPartialName("mynumber");
        form.getFields().add(field);
        org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget widget = field.getWidgets().get(0);
        widget.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(50, 50, 200, 20));
        widget.setPage(doc.getPage(0));
        doc.getPage(0).getAnnotations().add(widget);
        field.setValue(N2);
        RecordingSink sink = DocTestSupport.extract("f.pdf", save(doc));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals("mynumber: " + N2 + "\n", sink.textAt("f.pdf/form"));
    }

    @Test
    void embeddedFilesAreNestedFiles() throws IOException {
        PDDocument doc = twoPages();
        PDComplexFileSpecification spec = new PDComplexFileSpecification();
        spec.setFile("list.txt");
        spec.setFileUnicode("名簿.txt");
        byte[] data = ("氏名,番号\n山田," + N2).getBytes(StandardCharsets.UTF_8);
        PDEmbeddedFile ef = new PDEmbeddedFile(doc, new ByteArrayInputStream(data));
        ef.setSize(data.length);
        spec.setEmbeddedFile(ef);
        spec.setEmbeddedFileUnicode(ef);
        PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
        tree.setNames(Map.of("名簿.txt", spec));
        PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
        names.setEmbeddedFiles(tree);
        doc.getDocumentCatalog().setNames(names);
        RecordingSink sink = DocTestSupport.extract("f.pdf", save(doc));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertTrue(sink.textAt("f.pdf/名簿.txt").contains(N2), sink.locations()::toString);
    }
}
