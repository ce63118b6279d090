package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mynaguard policy check} and {@code policy test} as an admin runs them on the examples. */
class PolicyCommandTest {
    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String examples(String name) {
        return ScanCommandTest.examples().resolve(name).toString();
    }

    @Test
    void checkPassesOnEveryExample() {
        ScanCommandTest.Run r = ScanCommandTest.run("policy", "check", examples("policy.yaml"),
                examples("policy-strict.yaml"), examples("policy-audit.yaml"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(3, r.out().stream().filter(l -> l.contains(": valid (version ")).count(), r.out().toString());
    }

    @Test
    void checkReportsErrorsWithFileLineColumnAndExitsOne() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nrules:\n  - name: a\n    acton: block\ndefault: allow\n",
                StandardCharsets.UTF_8);
        ScanCommandTest.Run r = ScanCommandTest.run("policy", "check", bad.toString());
        assertEquals(1, r.exit());
        assertEquals(List.of(bad + ":3:5: a rule needs 'action'",
                bad + ":4:5: unknown key 'acton' in a rule (did you mean 'action'?)",
                bad + ": invalid (2 errors)"), r.out());
    }

    @Test
    void testShowsTheDecisionApproversAndMaskedFindings() {
        ScanCommandTest.Run r = ScanCommandTest.run("policy", "test", "--policy", examples("policy.yaml"),
                "--from", "tanaka@example.co.jp", "--to", "someone@partner.example",
                examples("mail-with-my-numbers.eml"));
        assertEquals(0, r.exit(), r.err());
        String out = String.join("\n", r.out());
        assertTrue(out.contains("Decision:  APPROVE  by rule 'external-high-approve'"), out);
        assertTrue(out.contains("Approvers: yamada@example.co.jp"), out);
        assertTrue(out.contains("MY_NUMBER HIGH ****-****-**** at body"), out);
        assertTrue(out.contains("roster-to-external-block (line "), out);
        assertFalse(TWELVE_DIGITS.matcher(out).find(), "no digits of a number may be printed:\n" + out);
    }

    @Test
    void testTakesTheEnvelopeFromTheHeadersAndPrintsJson() throws IOException {
        ScanCommandTest.Run r = ScanCommandTest.run("policy", "test", "--json", "--policy",
                examples("policy-audit.yaml"), examples("mail-with-my-numbers.eml"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().size());
        JsonNode j = JSON.readTree(r.out().get(0));
        assertEquals("sato@example.test", j.path("envelope").path("sender").asText());
        assertEquals("tax-office@example.test", j.path("envelope").path("recipients").get(0).asText());
        assertEquals("allow", j.path("decision").path("action").asText());
        assertEquals("audit", j.path("first_match").path("mode").asText());
        assertEquals("audit-external-high", j.path("first_match").path("rule").asText());
        assertEquals(64, j.path("decision").path("policy_version").asText().length());
        assertFalse(TWELVE_DIGITS.matcher(r.out().get(0)).find());
    }

    @Test
    void testReadsAnUploadRequest() {
        ScanCommandTest.Run r = ScanCommandTest.run("policy", "test", "--policy", examples("policy-strict.yaml"),
                "--user", "tanaka", examples("upload.http"));
        assertEquals(0, r.exit(), r.err());
        String out = String.join("\n", r.out());
        assertTrue(out.contains("Upload:    POST upload.example.test/upload (external)"), out);
        assertTrue(out.contains("Decision:  BLOCK  by rule 'upload-block'"), out);
        assertTrue(out.contains("Files:     roster.csv (text/csv)"), out);
    }

    @Test
    void digitsInFileNamesAndAddressesAreNotPrinted() throws IOException {
        Path upload = dir.resolve("upload.http");
        String body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"272034422478.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nx\r\n--b--\r\n";
        Files.writeString(upload, "POST /u/2720-3442-2478 HTTP/1.1\r\nHost: up.example\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\n\r\n" + body, StandardCharsets.UTF_8);
        for (String json : new String[] {"--json", "--user=272034422478@example.jp"}) {
            ScanCommandTest.Run r = ScanCommandTest.run("policy", "test", json, "--policy",
                    examples("policy.yaml"), upload.toString());
            assertEquals(0, r.exit(), r.err());
            // the temporary directory's name is made of digits; only what came from the request counts
            String out = String.join("\n", r.out()).replace(dir.toString(), "TMP");
            assertFalse(TWELVE_DIGITS.matcher(out).find(), out);
            assertTrue(out.contains("************.csv"), out);
        }
    }

    @Test
    void testRefusesAnInvalidPolicy() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\n", StandardCharsets.UTF_8);
        ScanCommandTest.Run r = ScanCommandTest.run("policy", "test", "--policy", bad.toString(),
                examples("clean-mail.eml"));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(bad + ":1:1: the policy needs 'default'"), r.err());
    }
}
