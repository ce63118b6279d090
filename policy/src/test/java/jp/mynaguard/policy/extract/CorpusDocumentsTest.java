package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
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
