package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InputSource#slice}: the HTTP extractor takes a spooled request's body as a window on the
 * same file instead of a copy. Reads stay inside the window; a parser that needs a whole file
 * gets one made on demand, deleted with the slice, while the spooled request stays.
 */
class InputSourceSliceTest {
    @TempDir
    Path dir;

    @Test
    void aSliceOfAFileReadsOnlyItsWindowAndMakesAWholeFileOnlyWhenAsked() throws IOException {
        byte[] all = new byte[300_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) ('a' + i % 26);
        }
        Path file = dir.resolve("request.bin");
        Files.write(file, all);
        try (InputSource whole = InputSource.ofFile(file)) {
            InputSource body = whole.slice(1_000, 250_000);
            byte[] expected = Arrays.copyOfRange(all, 1_000, 251_000);
            assertEquals(250_000, body.size());
            assertFalse(body.inMemory());
            try (InputStream in = body.openStream()) {
                assertArrayEquals(expected, in.readAllBytes());
            }
            assertArrayEquals(Arrays.copyOf(expected, 64), body.head(64));
            try (InputStream in = body.openShared()) {
                assertArrayEquals(expected, in.readAllBytes());
            }
            Path own = body.file();
            assertNotEquals(file, own);
            assertArrayEquals(expected, Files.readAllBytes(own));
            body.close();
            assertFalse(Files.exists(own), "the slice's own copy goes with it");
            assertTrue(Files.exists(file), "the spooled request stays");
            // clamped to the end; a window that is the whole file is the file itself
            assertEquals(0, whole.slice(all.length + 5, 10).size());
            assertEquals(file, whole.slice(0, all.length).file());
        }
    }

    @Test
    void aSpreadsheetUploadedInASpooledRequestIsReadFromItsSlice() throws IOException {
        String name = "office_02_xlsx_numeric_cells.xlsx";
        byte[] xlsx = Files.readAllBytes(RecordingSink.corpusCase(name));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("PUT /drive/" + name + " HTTP/1.1\r\nHost: files.example\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + xlsx.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        request.write(xlsx);
        Path file = dir.resolve("request.http");
        Files.write(file, request.toByteArray());
        RecordingSink sink = new RecordingSink();
        try (InputSource source = InputSource.ofFile(file)) {
            new ContentExtractor(Limits.defaults(), FormatRegistry.defaults())
                    .extract(Format.HTTP_REQUEST, "", "request.http", source, sink);
        }
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        String text = DocTestSupport.folded(sink.allText());
        for (String n : DocTestSupport.labels().get(name)) {
            assertTrue(text.contains(n), "a labelled number of " + name);
        }
        assertTrue(Files.exists(file));
    }
}
