package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jp.mynaguard.policy.detect.TextSegment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The office, pdf and archive cases of the shared corpus: every labelled number must come out. */
class CorpusDocumentsTest {
    private static Map<String, List<String>> labels;

    @BeforeAll
    static void load() throws IOException {
        labels = DocTestSupport.labels();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "office_01_xlsx_shared_strings.xlsx", "office_02_xlsx_numeric_cells.xlsx",
            "office_04_docx_split_runs.docx", "office_06_pptx_textbox.pptx",
            "office_08_neg_xlsx_invalid_numbers.xlsx", "office_09_neg_docx_invoice.docx",
            "pdf_01_simple_tj.pdf", "pdf_02_split_two_tj.pdf", "pdf_04_flate_compressed.pdf",
            "pdf_05_neg_invalid_and_phone.pdf",
            "archive_02_zip_csv.zip", "archive_03_zip_in_zip_3_levels.zip", "archive_07_neg_zip_invalid_csv.zip"})
    void bareFiles(String name) throws IOException {
        RecordingSink sink = DocTestSupport.extract(name, DocTestSupport.corpus(name));
        assertAllLabelled(name, sink);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "office_03_xlsx_mixed_in_eml.eml:a.xlsx", "office_05_docx_table_in_eml.eml:a.docx",
            "office_07_pptx_split_runs_in_eml.eml:a.pptx", "pdf_03_pdf_in_eml.eml:a.pdf",
            "archive_01_zip_csv_in_eml.eml:a.zip", "archive_04_gz_csv_in_eml.eml:meibo.csv.gz"})
    void attachments(String spec) throws IOException {
        String name = spec.substring(0, spec.indexOf(':'));
        String attachment = spec.substring(spec.indexOf(':') + 1);
        RecordingSink sink = DocTestSupport.extract(attachment, DocTestSupport.emlAttachment(name));
        assertAllLabelled(name, sink);
    }

    @Test
    void locationsNameSheetCellsSlidesAndPages() throws IOException {
        String xlsx = "office_02_xlsx_numeric_cells.xlsx";
        TextSegment sheet = DocTestSupport.extract(xlsx, DocTestSupport.corpus(xlsx)).segments.get(0);
        assertEquals(xlsx + "/Sheet1", sheet.location());
        String[] lines = sheet.text().toString().split("\n");
        assertEquals("448709568885", lines[1].split("\t")[1]);
        assertEquals(xlsx + "/Sheet1!B2", sheet.locate(1, 1));
        assertEquals(xlsx + "/Sheet1!B5", sheet.locate(4, 1));

        RecordingSink pptx = DocTestSupport.extract("a.pptx", DocTestSupport.emlAttachment("office_07_pptx_split_runs_in_eml.eml"));
        assertEquals(List.of("a.pptx/slide 1", "a.pptx/slide 2"), pptx.locations());
        assertTrue(pptx.textAt("a.pptx/slide 2").contains("995030319283"));

        RecordingSink pdf = DocTestSupport.extract("p.pdf", DocTestSupport.corpus("pdf_04_flate_compressed.pdf"));
        assertEquals(List.of("p.pdf/page 1"), pdf.locations());

        RecordingSink zip = DocTestSupport.extract("z.zip", DocTestSupport.corpus("archive_03_zip_in_zip_3_levels.zip"));
        assertEquals(List.of("z.zip/archive.zip/level2/inner.zip/level3/data.csv"), zip.locations());
    }

    @Test
    void unscannableCorpusCases() throws IOException {
        RecordingSink ppap = DocTestSupport.extract("個人番号一覧.zip",
                DocTestSupport.emlAttachment("archive_05_zipcrypto_ppap.eml"));
        assertEquals(UnscannableReason.ENCRYPTED, ppap.unscannables.get(0).reason());
        String bomb = "archive_06_zip_bomb_200mb_zeros.zip";
        RecordingSink b = DocTestSupport.extract(bomb, DocTestSupport.corpus(bomb));
        assertEquals(UnscannableReason.COMPRESSION_RATIO, b.unscannables.get(0).reason());
    }

    private static void assertAllLabelled(String name, RecordingSink sink) {
        assertTrue(sink.unscannables.isEmpty(), () -> name + ": " + sink.unscannables);
        assertFalse(sink.segments.isEmpty(), name);
        String text = DocTestSupport.folded(sink.allText());
        List<String> expected = labels.get(name);
        assertTrue(expected != null, name);
        for (String n : expected) {
            assertTrue(text.contains(n), () -> name + " lacks a labelled number; locations " + sink.locations());
        }
        assertEquals(expected.size(), expected.stream().distinct().count());
    }
}
