package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that is not a policy at all ends in one clear error, never an exception. */
class GarbageInputTest {
    @TempDir
    Path dir;

    List<String> check(byte[] bytes) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.write(file, bytes);
        return check(file);
    }

    List<String> check(String text) throws IOException {
        return check(text.getBytes(StandardCharsets.UTF_8));
    }

    List<String> check(Path file) {
        LoadResult r = TestPolicies.load(file);
        assertFalse(r.ok());
        return r.diagnostics().stream().map(d -> d.toString().replace(dir.toString() + "/", "")).toList();
    }

    @Test
    void binaryData() throws IOException {
        assertEquals(List.of("policy.yaml:2:4: this is not a text file (binary data: NUL byte at offset 14);"
                + " a policy is UTF-8 YAML text"), check(new byte[] {'v', 'e', 'r', 's', 'i', 'o', 'n', ':', ' ',
                        '1', '\n', 'P', 'K', 3, 0, 0, 4}));
    }

    @Test
    void shiftJisIsNotUtf8() throws IOException {
        byte[] sjis = "version: 1\nname: 標準\n".getBytes("Shift_JIS");
        assertEquals(List.of("policy.yaml:2:7: file is not valid UTF-8 (byte offset 17); save it as UTF-8"
                + " (Shift_JIS is not accepted)"), check(sjis));
    }

    @Test
    void unfinishedEscapeThatCrashesTheYamlLibrary() throws IOException {
        for (String doc : new String[] {"\"\\x", "\"\\u", "\"\\U"}) {
            List<String> d = check(doc);
            assertEquals(1, d.size(), d.toString());
            assertEquals("policy.yaml:1:1: YAML syntax error: ", d.get(0).substring(0, 36), d.get(0));
        }
    }

    @Test
    void hundredMegabyteFile() throws IOException {
        Path file = dir.resolve("policy.yaml");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024);
        }
        assertEquals(List.of("policy.yaml:1:1: file is too large: a policy file may have at most 1048576 bytes"),
                check(file));
    }

    @Test
    void deepFlowNesting() throws IOException {
        // depth 1 is the top mapping; the 32nd '[' (column 39) opens depth 33
        assertEquals(List.of("policy.yaml:1:39: nesting is deeper than 32 levels; a policy needs far fewer"),
                check("rules: " + "[".repeat(10_000) + "]".repeat(10_000)));
    }

    @Test
    void deepBlockNesting() throws IOException {
        StringBuilder sb = new StringBuilder("version: 1\n");
        for (int i = 0; i < 100; i++) {
            sb.append("  ".repeat(i)).append("a:\n");
        }
        List<String> d = check(sb.toString());
        assertEquals(List.of("policy.yaml:34:65: nesting is deeper than 32 levels; a policy needs far fewer"), d);
    }

    @Test
    void aliasBomb() throws IOException {
        StringBuilder sb = new StringBuilder("version: 1\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            sb.append('l').append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            sb.append("]\n");
        }
        List<String> d = check(sb.toString());
        assertEquals(List.of("policy.yaml:8:35: more than 50 aliases (*name); the file looks like an alias bomb"), d);
    }

    @Test
    void aliasesBelowTheLimitCannotExpandWithoutBound() throws IOException {
        // 41 aliases: a rule whose sender list has 40 000 entries, used 40 times: 1.6 M values.
        StringBuilder sb = new StringBuilder("version: 1\nbig: &big [");
        for (int i = 0; i < 40_000; i++) {
            sb.append(i == 0 ? "" : ",").append("a@x");
        }
        sb.append("]\nrule: &r {name: r, when: {sender: *big}, action: block}\n");
        sb.append("rules: [").append("*r, ".repeat(39)).append("*r]\ndefault: allow\n");
        List<String> d = check(sb.toString());
        assertEquals(true, d.contains("policy.yaml:2:6: the document expands to more than 200000 values"
                + " (through aliases); reading stopped here"), d.toString());
    }

    @Test
    void recursiveAlias() throws IOException {
        List<String> d = check("version: 1\nrules: &r [*r]\ndefault: allow\n");
        assertEquals(List.of("policy.yaml:2:8: a rule must be a mapping (key: value), found a list"), d);
    }

    @Test
    void emptyFileAndScalarDocumentAndTwoDocuments() throws IOException {
        assertEquals(List.of("policy.yaml:1:1: file is empty; a policy starts with 'version: 1'"), check("  \n"));
        assertEquals(List.of("policy.yaml:1:1: the policy must be a mapping (key: value), found 'hello'"),
                check("hello\n"));
        assertEquals(List.of("policy.yaml:3:1: a policy file holds one YAML document; found a second '---'"),
                check("version: 1\ndefault: allow\n---\nversion: 1\n"));
    }
}
