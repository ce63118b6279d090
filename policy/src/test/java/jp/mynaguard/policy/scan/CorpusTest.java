package jp.mynaguard.policy.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.RecordingSink;

/**
 * Every labelled case of the shared corpus: exactly the labelled My Numbers and Corporate
 * Numbers are found (at any level), and a case is flagged unscannable exactly when labelled so.
 * Failure messages show only the last four digits of a number.
 */
class CorpusTest {
    private static final ContentScanner SCANNER = ContentScanner.withDefaults();

    static Stream<Arguments> cases() throws IOException {
        Path labels = RecordingSink.corpusCase("x").getParent().getParent().resolve("labels.json");
        JsonNode root = new ObjectMapper().readTree(labels.toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : root) {
            out.add(Arguments.of(c.get("file").asText(), c.get("kind").asText(), digits(c.get("my_numbers")),
                    digits(c.get("corporate_numbers")), c.get("unscannable").asBoolean()));
        }
        return out.stream();
    }

    private static Set<String> digits(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsExactlyTheLabelledNumbers(String file, String kind, Set<String> myNumbers, Set<String> corporate,
                                        boolean unscannable) throws IOException {
        Path path = RecordingSink.corpusCase(file.substring(file.indexOf('/') + 1));
        Format format = kind.equals("eml") ? Format.MESSAGE : kind.equals("http") ? Format.HTTP_REQUEST : null;
        String name = path.getFileName().toString();
        ScanReport report;
        try (InputStream in = Files.newInputStream(path)) {
            report = SCANNER.scan(format, format == null ? name : "", name, in);
        }
        Set<String> foundMy = new TreeSet<>();
        Set<String> foundCorp = new TreeSet<>();
        for (Finding f : report.findings()) {
            if (f.type() == FindingType.MY_NUMBER) {
                foundMy.add(f.revealValue());
            } else if (f.type() == FindingType.CORPORATE_NUMBER || f.type() == FindingType.INVOICE_REG_NO) {
                foundCorp.add(f.revealValue());
            }
        }
        assertEquals(masked(myNumbers), masked(foundMy), "My Numbers in " + file);
        assertEquals(masked(corporate), masked(foundCorp), "Corporate Numbers in " + file);
        assertEquals(unscannable, !report.unscannable().isEmpty(), "unscannable " + report.unscannable());
        assertTrue(report.findings().stream().noneMatch(f -> f.type() == FindingType.MY_NUMBER_TRUNCATED),
                "no truncated numbers in the corpus");
    }

    /** Last four digits only, with a count, so a failing test does not print whole numbers. */
    private static List<String> masked(Set<String> numbers) {
        List<String> out = new ArrayList<>();
        for (String n : numbers) {
            out.add("…" + n.substring(n.length() - 4));
        }
        out.sort(null);
        out.add(0, numbers.size() + " numbers");
        return out;
    }
}
