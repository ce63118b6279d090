package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped example policy loads without an error (what {@code policy check} runs). */
class ExamplePoliciesTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    static List<Path> policies() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.getFileName().toString().startsWith("policy")
                            && p.getFileName().toString().endsWith(".yaml"))
                    .sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void exampleLoadsWithoutErrors(Path file) {
        LoadResult r = TestPolicies.load(file);
        assertTrue(r.errors().isEmpty(), () -> TestPolicies.lines(r.diagnostics()));
        assertTrue(r.ok());
    }

    @Test
    void thereAreAtLeastThreeExamples() throws IOException {
        assertTrue(policies().size() >= 3, policies().toString());
    }

    @Test
    void defaultExampleReadsTheDirectoryFile() {
        Policy p = TestPolicies.loadOk(EXAMPLES.resolve("policy.yaml"));
        assertEquals(2, p.sources().size());
        assertEquals("佐藤 花子", p.organization().user("sato@example.co.jp").name());
    }
}
