package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Every labelled number of the text-format categories of the shared corpus must come out of
 * the extractor in some written form, with no part left unscanned. The corpus is a sample; the
 * extractor has no per-file logic.
 */
class CorpusTest {
    private static final Set<String> CATEGORIES = Set.of("plain_text", "charset", "mime_header", "html",
            "text_attachment", "nested_mail", "http_upload", "bulk", "negative");

    record Case(String file, String kind, String category, List<String> numbers) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        Path labels = RecordingSink.corpusCase("x").getParent().resolveSibling("labels.json");
        List<Arguments> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(labels.toFile())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String file = null;
                String kind = null;
                String category = null;
                List<String> numbers = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (field.equals("my_numbers") || field.equals("corporate_numbers")) {
                                numbers.add(p.getText());
                            }
                        }
                    } else if (field.equals("file")) {
                        file = p.getText().substring("cases/".length());
                    } else if (field.equals("kind")) {
                        kind = p.getText();
                    } else if (field.equals("category")) {
                        category = p.getText();
                    }
                }
                if (CATEGORIES.contains(category)) {
                    out.add(Arguments.of(new Case(file, kind, category, numbers)));
                }
            }
        }
        return out.stream();
    }

    static RecordingSink extract(Case c) throws IOException {
        Format format = c.kind().equals("eml") ? Format.MESSAGE : c.kind().equals("http") ? Format.HTTP_REQUEST : null;
        String location = c.kind().equals("file") ? c.file() : "";
        RecordingSink sink = new RecordingSink();
        try (InputStream in = Files.newInputStream(RecordingSink.corpusCase(c.file()))) {
            new ContentExtractor(Limits.defaults()).extract(format, location, c.file(), in, sink);
        }
        return sink;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyLabelledNumberIsInTheText(Case c) throws IOException {
        RecordingSink sink = extract(c);
        assertEquals(List.of(), sink.unscannables, c.file());
        for (String n : c.numbers()) {
            assertTrue(Digits.contains(sink, n), c.file() + ": labelled number #" + c.numbers().indexOf(n)
                    + " not in the extracted text; locations " + sink.locations());
        }
    }
}
