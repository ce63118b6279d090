package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.hold.HoldTestData.DIGIT_RUN;
import static jp.mynaguard.proxy.hold.HoldTestData.MARKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jp.mynaguard.proxy.Main;

/** {@code mynaguard hold list} on a real store. */
class HoldListCommandTest {
    @TempDir
    Path data;

    record Run(int exit, String out, String err) {
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
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private List<String> holdTwo() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            HoldRequest a = HoldTestData.request("REFAAAA2", HoldTestData.message("REFAAAA2"),
                    Instant.parse("2026-11-27T01:00:00Z"));
            HoldRequest b = new HoldRequest("REFBBBB3", HoldKind.QUARANTINE, "smtp", DIGIT_RUN + "@example.co.jp",
                    List.of("x@example.com"), "quarantine-unscannable", "v1", "UNSCANNABLE encrypted zip",
                    Instant.parse("2026-11-27T02:00:00Z"), null, a.content());
            store.hold(a);
            store.hold(b);
            return List.of("REFBBBB3", "REFAAAA2");
        }
    }

    @Test
    void listsNewestFirstWithoutContentOrDigits() throws Exception {
        holdTwo();
        Run r = run("hold", "list", "--data", data.toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("REFERENCE"), lines[0]);
        assertTrue(lines[1].startsWith("REFBBBB3   QUARANTINE HELD      2026-11-27T02:00:00Z"), lines[1]);
        assertTrue(lines[1].contains("************@example.co.jp"), lines[1]);
        assertTrue(lines[2].contains("APPROVE") && lines[2].contains("external-my-number")
                && lines[2].contains("MY_NUMBER HIGH x1 (body)") && lines[2].contains("tanaka@example.co.jp"), lines[2]);
        assertTrue(lines[2].matches(".*\\s2\\s+external-my-number.*"), "recipient count: " + lines[2]);
        assertFalse(r.out().contains(DIGIT_RUN));
        assertFalse(r.out().contains(MARKER));
    }

    @Test
    void json() throws Exception {
        holdTwo();
        Run r = run("hold", "list", "--data", data.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode items = new ObjectMapper().readTree(r.out());
        assertEquals(2, items.size());
        JsonNode q = items.get(0);
        assertEquals("REFBBBB3", q.get("referenceId").asText());
        assertEquals("QUARANTINE", q.get("kind").asText());
        assertEquals("HELD", q.get("state").asText());
        assertEquals("2026-11-27T02:00:00Z", q.get("receivedAt").asText());
        assertEquals(1, q.get("recipientCount").asInt());
        assertEquals("************@example.co.jp", q.get("sender").asText());
        assertEquals(2, items.get(1).get("recipientCount").asInt());
        assertFalse(r.out().contains(DIGIT_RUN));
        assertFalse(r.out().contains(MARKER));
    }

    @Test
    void noStoreIsAClearErrorAndCreatesNothing() {
        Path missing = data.resolve("nothing-here");
        Run r = run("hold", "list", "--data", missing.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no hold store under " + missing), r.err());
        assertFalse(missing.toFile().exists());
    }

    @Test
    void emptyStore() throws Exception {
        SqliteHoldStore.open(data).close();
        Run r = run("hold", "list", "--data", data.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("no held items\n", r.out());
        assertEquals("[ ]\n", run("hold", "list", "--data", data.toString(), "--json").out());
    }
}
