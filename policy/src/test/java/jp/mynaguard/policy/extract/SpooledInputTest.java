package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs larger than the spool threshold are read from their temporary file (random access, not a
 * heap copy); spooling keeps every byte whatever the threshold, 0 (straight to a file) included.
 */
class SpooledInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"office_02_xlsx_numeric_cells.xlsx", "office_04_docx_split_runs.docx",
            "pdf_04_flate_compressed.pdf", "archive_03_zip_in_zip_3_levels.zip"})
    void filesAreReadInPlace(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.copy(RecordingSink.corpusCase(name), file);
        RecordingSink sink = new RecordingSink();
        try (InputSource source = InputSource.ofFile(file)) {
            assertTrue(!source.inMemory());
            new ContentExtractor(Limits.defaults(), DocTestSupport.registry()).extract(null, name, name, source, sink);
        }
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        String text = DocTestSupport.folded(sink.allText());
        for (String n : DocTestSupport.labels().get(name)) {
            assertTrue(text.contains(n), name);
        }
        assertEquals(true, Files.exists(file));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 70_000})
    void spoolKeepsEveryByteWhateverTheThreshold(int threshold) throws IOException {
        byte[] bytes = new byte[150_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        try (InputSource s = InputSource.spool(new ByteArrayInputStream(bytes), threshold, Long.MAX_VALUE);
             InputStream in = s.openStream()) {
            assertEquals(bytes.length, s.size());
            assertTrue(!s.inMemory(), "past the threshold: a file");
            assertArrayEquals(bytes, in.readAllBytes());
        }
    }
}
