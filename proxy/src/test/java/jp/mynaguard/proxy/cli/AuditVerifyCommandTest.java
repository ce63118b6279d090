package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditFiles;
import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.AuditSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mynaguard audit verify} on a real trail, untouched and tampered with in every way the issue names. */
class AuditVerifyCommandTest {
    @TempDir
    Path dir;

    private static AuditSettings settings(Path dir) {
        return AuditSettings.DEFAULTS.withDir(dir).withCheckpoints(5, Duration.ofHours(1));
    }

    /** A closed trail of {@code n} decisions in one file. */
    private Path trail(int n) throws Exception {
        try (AuditLog audit = AuditLog.open(settings(dir), dir, Clock.systemUTC())) {
            for (int i = 0; i < n; i++) {
                audit.record(AuditEvent.of(AuditEvent.DECISION).channel("smtp").ref("REF" + i).user("tanaka")
                        .action("block").field("rule", "my-number-block").build());
            }
        }
        List<Path> files = AuditFiles.list(dir);
        assertEquals(1, files.size());
        return files.get(0);
    }

    private static List<String> lines(Path f) throws Exception {
        return new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    private static void write(Path f, List<String> lines) throws Exception {
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static int lineOf(List<String> lines, String ref) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"ref\":\"" + ref + "\"")) {
                return i;
            }
        }
        throw new AssertionError(ref);
    }

    private ScanCommandTest.Run verify(String... files) {
        List<String> args = new ArrayList<>(List.of("audit", "verify"));
        args.addAll(List.of(files));
        return ScanCommandTest.run(args.toArray(new String[0]));
    }

    @Test
    void anUntouchedTrailIsIntact() throws Exception {
        Path f = trail(12);
        ScanCommandTest.Run r = verify(f.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().get(0).startsWith("intact"), r.out().toString());
        assertTrue(r.out().get(0).contains("records 1.."), r.out().toString());
        assertEquals(0, verify(dir.toString()).exit(), "the directory stands for its files");
    }

    @Test
    void anAlteredFieldIsFoundAtItsLine() throws Exception {
        Path f = trail(12);
        List<String> l = lines(f);
        int i = lineOf(l, "REF4");
        l.set(i, l.get(i).replace("\"action\":\"block\"", "\"action\":\"allow\""));
        write(f, l);
        ScanCommandTest.Run r = verify(f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains(f.getFileName() + ":" + (i + 1) + ": record " + (i + 1) + " was altered"),
                r.out().get(0));
        assertTrue(r.out().get(1).contains("intact before it: " + i + " record(s) in 1 file(s), records 1.." + i + ";"),
                r.out().get(1));
    }

    @Test
    void aDeletedLineIsFound() throws Exception {
        Path f = trail(12);
        List<String> l = lines(f);
        int i = lineOf(l, "REF6");
        l.remove(i);
        write(f, l);
        ScanCommandTest.Run r = verify(f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains(f.getFileName() + ":" + (i + 1) + ": record " + (i + 1) + " is missing"),
                r.out().get(0));
    }

    @Test
    void swappedLinesAreFound() throws Exception {
        Path f = trail(12);
        List<String> l = lines(f);
        int a = lineOf(l, "REF2");
        int b = lineOf(l, "REF3");
        String t = l.get(a);
        l.set(a, l.get(b));
        l.set(b, t);
        write(f, l);
        ScanCommandTest.Run r = verify(f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains(f.getFileName() + ":" + (a + 1) + ": records out of order"), r.out().get(0));
    }

    @Test
    void aTailCutAfterTheLastCheckpointIsFound() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Path live = Files.createDirectories(dir.resolve("live"));
        try (AuditLog audit = AuditLog.open(settings(live), live, Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                audit.record(AuditEvent.of("console").user("admin").action("login").build());
            }
            assertTrue(audit.seal(10, TimeUnit.SECONDS));
            audit.record(AuditEvent.of("console").user("admin").action("reveal").ref("REFX").build());
            assertTrue(audit.flush(10, TimeUnit.SECONDS));
            // What an insider finds on the running gateway's disk.
            try (var files = Files.list(live)) {
                for (Path p : files.toList()) {
                    Files.copy(p, copy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path f = AuditFiles.list(copy).get(0);
        assertEquals(0, verify(f.toString()).exit(), verify(f.toString()).out().toString());
        List<String> l = lines(f);
        int lastCheckpoint = 0;
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).contains("\"type\":\"checkpoint\"")) {
                lastCheckpoint = i;
            }
        }
        assertTrue(lastCheckpoint < l.size() - 1, "there is an unsealed tail to cut");
        write(f, l.subList(0, lastCheckpoint + 1));
        ScanCommandTest.Run r = verify(f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains(f.getFileName() + ":" + (lastCheckpoint + 1) + ": the log ends at record "
                + (lastCheckpoint + 1) + " but the signed head names record " + l.size()), r.out().get(0));
        assertTrue(r.out().get(0).contains("cut off the end"), r.out().get(0));
    }

    @Test
    void aLineCutInTheMiddleIsFound() throws Exception {
        Path f = trail(6);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 20));
        ScanCommandTest.Run r = verify(f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains("cut off in the middle of a record"), r.out().get(0));
    }

    @Test
    void aRemovedMiddleFileOfARotationIsFound() throws Exception {
        AuditSettings s = settings(dir).withRotateBytes(64 * 1024).withCheckpoints(100, Duration.ofHours(1));
        try (AuditLog audit = AuditLog.open(s, dir, Clock.systemUTC())) {
            for (int i = 0; i < 900; i++) {
                audit.record(AuditEvent.of("console").user("admin").field("note", "x".repeat(200)).build());
                if (i % 50 == 0) {
                    assertTrue(audit.flush(10, TimeUnit.SECONDS));
                }
            }
        }
        List<Path> files = AuditFiles.list(dir);
        assertTrue(files.size() >= 3, "three files at least: " + files);
        ScanCommandTest.Run intact = verify(dir.toString());
        assertEquals(0, intact.exit(), intact.out()::toString);
        Files.delete(files.get(1));
        ScanCommandTest.Run r = verify(dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains(files.get(2).getFileName() + ":1: records "), r.out().get(0));
        assertTrue(r.out().get(0).contains("this file follows " + files.get(1).getFileName()
                + ", which was not given or was removed"), r.out().get(0));
    }

    @Test
    void aRewrittenChainFailsAtTheNextCheckpoint() throws Exception {
        Path f = trail(12);
        List<String> l = lines(f);
        int i = lineOf(l, "REF1");
        l.set(i, l.get(i).replace("\"user\":\"tanaka\"", "\"user\":\"nobody\""));
        // The insider recomputes every later link, but can not sign.
        Pattern prev = Pattern.compile("\"prev\":\"[0-9a-f]{64}\"");
        for (int k = i + 1; k < l.size(); k++) {
            Matcher m = prev.matcher(l.get(k));
            l.set(k, m.replaceFirst("\"prev\":\"" + sha256(l.get(k - 1)) + "\""));
        }
        write(f, l);
        ScanCommandTest.Run r = verify("--no-head", f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains("checkpoint signature does not verify"), r.out().get(0));
    }

    @Test
    void anotherKeyIsNoticed() throws Exception {
        Path f = trail(3);
        Path other = Files.createDirectories(dir.resolve("other"));
        AuditLog.open(settings(other), other, Clock.systemUTC()).close();
        ScanCommandTest.Run r = verify("--key", other.resolve("audit-signing.pub").toString(), f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().get(0).contains("not by"), r.out().get(0));
    }

    @Test
    void missingFilesAreAnErrorNotAVerdict() {
        ScanCommandTest.Run r = verify(dir.resolve("nope.jsonl").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    private static String sha256(String line) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
    }
}
