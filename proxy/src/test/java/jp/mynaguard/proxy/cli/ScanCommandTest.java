package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.proxy.Main;

/** {@code mynaguard scan} as a user runs it, on the bundled examples. */
class ScanCommandTest {
    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Output of one run: exit code, stdout lines, stderr. */
    record Run(int exit, List<String> out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            String o = out.toString(StandardCharsets.UTF_8);
            return new Run(exit, o.isEmpty() ? List.of() : List.of(o.split("\n")), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path examples() {
        Path p = Paths.get("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("examples"))) {
            p = p.getParent();
        }
        return p.resolve("examples");
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(String.join("\n", r.out()).contains("scan"), r.out().toString());
    }

    @Test
    void scansADirectoryOneJsonLinePerFileMasked() throws IOException {
        Path dir = examples();
        Run r = run("scan", dir.resolve("mail-with-my-numbers.eml").toString(), dir.resolve("clean-mail.eml").toString(),
                dir.resolve("upload.http").toString());
        assertEquals(1, r.exit(), "numbers found -> 1");
        assertEquals(3, r.out().size(), r.out().toString());
        JsonNode mail = JSON.readTree(r.out().get(0));
        assertTrue(mail.get("file").asText().endsWith("mail-with-my-numbers.eml"));
        assertEquals(3, mail.get("findings").size(), mail.toString());
        for (JsonNode f : mail.get("findings")) {
            assertEquals("MY_NUMBER", f.get("type").asText());
            assertEquals("****-****-****", f.get("masked").asText());
            assertFalse(f.has("value"), "no digits without --reveal");
        }
        assertEquals(0, JSON.readTree(r.out().get(1)).get("findings").size(), "clean mail: " + r.out().get(1));
        assertEquals(1, JSON.readTree(r.out().get(2)).get("findings").size(), "upload: " + r.out().get(2));
        for (String line : r.out()) {
            assertFalse(TWELVE_DIGITS.matcher(line).find(), "digits leaked: " + line.replaceAll("[0-9]", "#"));
        }
    }

    @Test
    void revealPrintsTheDigits() throws IOException {
        Run r = run("scan", "--reveal", examples().resolve("upload.http").toString());
        JsonNode f = JSON.readTree(r.out().get(0)).get("findings").get(0);
        assertTrue(f.get("value").asText().matches("[0-9]{12}"));
    }

    @Test
    void cleanInputExitsZeroAndMinLevelDecides() {
        assertEquals(0, run("scan", examples().resolve("clean-mail.eml").toString()).exit());
        assertEquals(1, run("scan", "--min-level", "low", examples().resolve("upload.http").toString()).exit());
    }

    @Test
    void missingFileIsOneClearLineAndTheOthersAreStillScanned(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope.eml");
        Run r = run("scan", missing.toString(), examples().resolve("clean-mail.eml").toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.out().size(), "the readable file is still scanned");
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("nope.eml") && r.err().contains("no such file"), r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("scan").exit());
        assertEquals(2, run("scan", "--min-level", "SEVERE", "x").exit());
        assertEquals(2, run("frobnicate").exit());
    }
}
