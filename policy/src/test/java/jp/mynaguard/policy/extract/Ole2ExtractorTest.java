package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.poi.hslf.usermodel.HSLFSlide;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTextBox;
import org.apache.poi.poifs.filesystem.Ole10Native;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.junit.jupiter.api.Test;

/** Legacy Office (OLE2) files other than workbooks, which {@link XlsxExtractorTest} covers. */
class Ole2ExtractorTest {
    private static final String N1 = DocTestSupport.myNumber("12345678901");
    private static final String N2 = DocTestSupport.myNumber("48870956888");

    private static byte[] ole2(String stream, byte[] content) throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            fs.createDocument(new ByteArrayInputStream(content), stream);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    @Test
    void legacyPowerPointSlides() throws IOException {
        byte[] ppt;
        try (HSLFSlideShow show = new HSLFSlideShow()) {
            show.createSlide();
            HSLFSlide two = show.createSlide();
            HSLFTextBox box = two.createTextBox();
            box.setText("個人番号 " + N1);
            two.addShape(box);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            ppt = out.toByteArray();
        }
        RecordingSink sink = DocTestSupport.extract("s.ppt", ppt);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("s.ppt/slide 1", "s.ppt/slide 2"), sink.locations());
        assertTrue(sink.textAt("s.ppt/slide 2").contains("個人番号 " + N1));
    }

    @Test
    void embeddedOlePackageIsANestedFile() throws IOException {
        byte[] csv = ("氏名,番号\n山田," + N2).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream native10 = new ByteArrayOutputStream();
        new Ole10Native("list.txt", "list.txt", "C:\\temp\\list.txt", csv).writeOut(native10);
        byte[] object = ole2(Ole10Native.OLE10_NATIVE, native10.toByteArray());
        RecordingSink sink = DocTestSupport.extract("oleObject1.bin", object);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("oleObject1.bin/list.txt"), sink.locations());
        assertTrue(sink.allText().contains(N2));

        // As Word keeps it: inside a docx's embeddings folder.
        byte[] docx = ZipExtractorTest.zip("[Content_Types].xml", "<Types/>", "word/document.xml",
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>",
                "word/embeddings/oleObject1.bin", object, "word/media/image1.png", "png");
        RecordingSink d = DocTestSupport.extract("d.docx", docx);
        assertTrue(d.textAt("d.docx/word/embeddings/oleObject1.bin/list.txt").contains(N2), d.locations()::toString);
        assertTrue(d.locations().stream().noneMatch(l -> l.contains("image1")));
    }

    @Test
    void brokenWordDocumentIsMalformed() throws IOException {
        RecordingSink sink = DocTestSupport.extract("w.doc", ole2("WordDocument", new byte[] {1, 2, 3, 4}));
        assertEquals(1, sink.unscannables.size());
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());
        assertEquals("w.doc", sink.unscannables.get(0).location());
    }

    @Test
    void unknownCompoundFileGoesToTheBinaryScan() throws IOException {
        RecordingSink sink = DocTestSupport.extract("x.msg", ole2("__substg1.0_1000001F", N1.getBytes(StandardCharsets.UTF_8)));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertTrue(sink.allText().contains(N1));
    }
}
