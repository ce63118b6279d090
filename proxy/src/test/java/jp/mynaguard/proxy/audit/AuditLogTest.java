package jp.mynaguard.proxy.audit;

import jp.mynaguard.proxy.hold.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditEvent decision(int i) {
        return AuditEvent.of(AuditEvent.DECISION).channel("smtp").ref("REF" + i).user("tanaka")
                .action("block").field("rule", "my-number-block").build();
    }

    private AuditVerifier.Result verify() throws IOException {
        return AuditVerifier.forDirectory(dir, null, true).verify(AuditFiles.list(dir));
    }

    @Test
    void everyEventIsOneLineChainedToTheOneBefore() throws Exception {
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            for (int i = 0; i < 7; i++) {
                audit.record(decision(i));
            }
        }
        List<String> lines = AuditTestFiles.lines(dir);
        List<Map<String, Object>> records = AuditTestFiles.records(dir);
        assertEquals(ChainWriter.FILE_START, records.get(0).get("type"));
        assertEquals(ChainWriter.GENESIS, records.get(0).get("prev"));
        assertEquals("audit.start", records.get(1).get("type"));
        for (int i = 0; i < records.size(); i++) {
            assertEquals((long) i + 1, records.get(i).get("seq"), "numbered without gaps");
            if (i > 0) {
                assertEquals(AuditTestFiles.hash(lines.get(i - 1)), records.get(i).get("prev"), "line " + (i + 1));
            }
        }
        long decisions = records.stream().filter(r -> "decision".equals(r.get("type"))).count();
        assertEquals(7, decisions);
        Map<String, Object> d = records.stream().filter(r -> "decision".equals(r.get("type"))).findFirst().orElseThrow();
        assertEquals(List.of("seq", "time", "type", "prev", "channel", "ref", "user", "action", "rule"),
                List.copyOf(d.keySet()));
        // The trail ends with audit.stop and a checkpoint over everything.
        assertEquals("audit.stop", records.get(records.size() - 2).get("type"));
        assertEquals("checkpoint", records.get(records.size() - 1).get("type"));
    }

    @Test
    void checkpointsAreSignedAndComeEveryNRecords() throws Exception {
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) {
                audit.record(decision(i));
                assertTrue(audit.flush(10, TimeUnit.SECONDS));
            }
        }
        PublicKey pub = AuditKey.readPublic(dir.resolve(AuditKey.PUBLIC_FILE));
        List<String> lines = AuditTestFiles.lines(dir);
        int checkpoints = 0;
        long sinceLast = 0;
        for (String l : lines) {
            Map<String, Object> r = AuditJson.parse(l.getBytes(StandardCharsets.UTF_8));
            if ("checkpoint".equals(r.get("type"))) {
                checkpoints++;
                assertTrue(Seal.valid(l.getBytes(StandardCharsets.UTF_8), (String) r.get("sig"), pub), l);
                assertEquals(sinceLast, r.get("records"));
                assertTrue(sinceLast <= 3, "sealed at most every 3 records");
                sinceLast = 0;
            } else {
                sinceLast++;
            }
        }
        assertTrue(checkpoints >= 4, "checkpoints: " + checkpoints);
        String altered = lines.get(lines.size() - 1).replace("\"records\":", "\"records\":1");
        Map<String, Object> r = AuditJson.parse(altered.getBytes(StandardCharsets.UTF_8));
        assertFalse(Seal.valid(altered.getBytes(StandardCharsets.UTF_8), (String) r.get("sig"), pub));
    }

    @Test
    void aCheckpointAlsoComesAfterTheInterval() throws Exception {
        AuditSettings s = AuditTestFiles.settings(dir).withCheckpoints(1000, Duration.ofMillis(200));
        try (AuditLog audit = AuditLog.open(s, dir, java.time.Clock.systemUTC())) {
            audit.record(decision(1));
            assertTrue(audit.flush(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (AuditTestFiles.records(dir).stream().noneMatch(r -> "checkpoint".equals(r.get("type")))) {
                assertTrue(System.nanoTime() < deadline, "no checkpoint after the interval");
                Thread.sleep(50);
            }
        }
    }

    @Test
    void theKeyIsPrivateAndAReadableKeyIsRefused() throws Exception {
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            assertEquals(16, audit.keyId().length());
        }
        Path key = dir.resolve("audit-signing.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class,
                () -> AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC()));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void rotationBySizeKeepsTheChain() throws Exception {
        AuditSettings s = AuditTestFiles.settings(dir).withRotateBytes(AuditLimits.MIN_ROTATE_BYTES)
                .withCheckpoints(100, Duration.ofHours(1));
        try (AuditLog audit = AuditLog.open(s, dir, java.time.Clock.systemUTC())) {
            for (int i = 0; i < 600; i++) {
                audit.record(AuditEvent.of("console").user("admin").field("note", "x".repeat(200) + i).build());
                if (i % 50 == 0) {
                    assertTrue(audit.flush(10, TimeUnit.SECONDS));
                }
            }
        }
        List<Path> files = AuditFiles.list(dir);
        assertTrue(files.size() >= 2, "rotated: " + files);
        for (int f = 1; f < files.size(); f++) {
            List<String> before = Files.readAllLines(files.get(f - 1));
            String first = Files.readAllLines(files.get(f)).get(0);
            Map<String, Object> r = AuditJson.parse(first.getBytes(StandardCharsets.UTF_8));
            assertEquals(ChainWriter.FILE_START, r.get("type"));
            assertEquals(files.get(f - 1).getFileName().toString(), r.get("previousFile"));
            assertEquals(AuditTestFiles.hash(before.get(before.size() - 1)), r.get("prev"));
            assertTrue(before.get(before.size() - 1).contains("\"type\":\"checkpoint\""), "a file ends sealed");
        }
        AuditVerifier.Result r = verify();
        assertTrue(r.intact(), r.toString());
        assertEquals(files.size(), r.files());
    }

    @Test
    void rotationByDay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-04-01T10:00:00Z"));
        AuditSettings s = AuditTestFiles.utc(AuditTestFiles.settings(dir));
        try (AuditLog audit = AuditLog.open(s, dir, clock)) {
            audit.record(decision(1));
            assertTrue(audit.flush(10, TimeUnit.SECONDS));
            clock.advance(Duration.ofDays(1));
            audit.record(decision(2));
            assertTrue(audit.flush(10, TimeUnit.SECONDS));
        }
        List<Path> files = AuditFiles.list(dir);
        assertEquals(List.of("audit-2025-04-01_0001.jsonl", "audit-2025-04-02_0001.jsonl"),
                files.stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aRestartContinuesTheChainAndCutsAHalfWrittenLine() throws Exception {
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            audit.record(decision(1));
        }
        List<Path> files = AuditFiles.list(dir);
        Files.writeString(files.get(files.size() - 1), "{\"seq\":99,\"ty", StandardOpenOption.APPEND);
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            audit.record(decision(2));
        }
        List<String> lines = AuditTestFiles.lines(dir);
        List<Map<String, Object>> records = AuditTestFiles.records(dir);
        for (int i = 1; i < records.size(); i++) {
            assertEquals((long) i + 1, records.get(i).get("seq"));
            assertEquals(AuditTestFiles.hash(lines.get(i - 1)), records.get(i).get("prev"));
        }
        Map<String, Object> secondStart = records.stream().filter(r -> "audit.start".equals(r.get("type")))
                .skip(1).findFirst().orElseThrow();
        assertEquals(13L, secondStart.get("discardedPartialBytes"));
        assertNull(secondStart.get("headProblem"));
        assertTrue(verify().intact(), verify().toString());
    }

    @Test
    void aKeyIdWithALongDigitRunIsRecordedAsItIsAndVerifies() throws Exception {
        // About one key in sixty has 12+ decimal digits in a row in its 16-hex-digit id; the
        // redaction of number-like runs used to mask it in every checkpoint, which then failed.
        java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("Ed25519");
        java.security.KeyPair pair = null;
        for (int i = 0; i < 20_000 && pair == null; i++) {
            java.security.KeyPair p = gen.generateKeyPair();
            if (AuditKey.idOf(p.getPublic()).matches(".*[0-9]{12}.*")) {
                pair = p;
            }
        }
        assertNotNull(pair, "no key with a 12-digit run in its id among 20 000");
        AuditKey.write(dir, pair);
        Files.setPosixFilePermissions(dir.resolve(AuditKey.PRIVATE_FILE), PosixFilePermissions.fromString("rw-------"));
        String id = AuditKey.idOf(pair.getPublic());
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            audit.record(decision(1));
        }
        List<Map<String, Object>> checkpoints = AuditTestFiles.records(dir).stream()
                .filter(r -> "checkpoint".equals(r.get("type"))).toList();
        assertFalse(checkpoints.isEmpty());
        checkpoints.forEach(c -> assertEquals(id, c.get("key")));
        assertTrue(Files.readString(dir.resolve(AuditFiles.HEAD)).contains("\"key\":\"" + id + "\""));
        assertTrue(verify().intact(), verify().toString());
    }

    @Test
    void theHeadCatchesUpWithTheLastRecordOnceTheWriterIsIdle() throws Exception {
        // No flush, no checkpoint: the head is rewritten at most every HEAD_INTERVAL under load,
        // and when the queue runs dry. It must not stay behind the log.
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) {
                audit.record(decision(i));
            }
            Path head = dir.resolve(AuditFiles.HEAD);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String seen = "";
            while (System.nanoTime() < deadline) {
                List<Map<String, Object>> records = AuditTestFiles.records(dir);
                long last = (Long) records.get(records.size() - 1).get("seq");
                seen = Files.exists(head) ? Files.readString(head) : "";
                if (last >= 52 && seen.contains("\"seq\":" + last + ",")) {
                    return;
                }
                Thread.sleep(AuditLimits.HEAD_INTERVAL.toMillis() / 4);
            }
            throw new AssertionError("the head did not reach the last record: " + seen);
        }
    }

    @Test
    void aHeadThatNamesMoreThanTheLogHoldsIsRecordedAtStart() throws Exception {
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            for (int i = 0; i < 5; i++) {
                audit.record(decision(i));
            }
        }
        Path f = AuditFiles.list(dir).get(0);
        List<String> lines = Files.readAllLines(f);
        Files.write(f, lines.subList(0, lines.size() - 3));
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            assertTrue(audit.flush(10, TimeUnit.SECONDS));
        }
        Map<String, Object> start = AuditTestFiles.records(dir).stream()
                .filter(r -> "audit.start".equals(r.get("type"))).skip(1).findFirst().orElseThrow();
        assertTrue(String.valueOf(start.get("headProblem")).contains("records were removed from the end"),
                String.valueOf(start.get("headProblem")));
    }

    @Test
    void aFullQueueLosesEventsButTheTrailSaysHowMany() throws Exception {
        AuditSettings s = AuditTestFiles.settings(dir).withQueue(16);
        AuditLog audit = AuditLog.openPaused(s, dir, java.time.Clock.systemUTC());
        try {
            assertTrue(audit.accepting());
            for (int i = 0; i < 40; i++) {
                audit.record(decision(i));
            }
            assertFalse(audit.accepting(), "above the high-water mark no new decision is made");
            assertEquals(23, audit.droppedTotal());
            audit.start();
            assertTrue(audit.flush(10, TimeUnit.SECONDS));
            assertTrue(audit.accepting());
        } finally {
            audit.close();
        }
        List<Map<String, Object>> records = AuditTestFiles.records(dir);
        Map<String, Object> dropped = records.stream().filter(r -> "audit.dropped".equals(r.get("type")))
                .findFirst().orElseThrow();
        assertEquals(23L, dropped.get("count"));
        assertTrue(verify().intact(), "a loss is recorded, the chain stays whole");
        assertEquals(17, records.stream().filter(r -> "decision".equals(r.get("type"))).count());
    }

    @Test
    void aDiskThatRefusesWritesMakesTheTrailRefuseNewDecisions() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "needs /dev/full");
        AuditSettings s = AuditTestFiles.utc(AuditTestFiles.settings(dir));
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Files.createSymbolicLink(dir.resolve("audit-" + today + "_0001.jsonl"), full);
        AuditLog audit = AuditLog.open(s, dir, java.time.Clock.systemUTC());
        try {
            audit.record(decision(1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (audit.accepting()) {
                assertTrue(System.nanoTime() < deadline, "the failed write was noticed");
                Thread.sleep(20);
            }
            assertFalse(audit.flush(1, TimeUnit.SECONDS), "nothing is written while the disk refuses");
            // Space again (here: the file replaced): the writer reopens, and what waited is written.
            Path file = dir.resolve("audit-" + today + "_0001.jsonl");
            Files.delete(file);
            Files.createFile(file);
            assertTrue(audit.flush(30, TimeUnit.SECONDS), "written once the disk takes writes again");
            assertTrue(audit.accepting());
        } finally {
            audit.close();
        }
        List<Map<String, Object>> records = AuditTestFiles.records(dir);
        assertTrue(records.stream().anyMatch(r -> "REF1".equals(r.get("ref"))), "the waiting decision was not lost");
    }

    @Test
    void anOversizedEventKeepsItsPlainFieldsAndSaysWhatWasCut() throws Exception {
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            audit.record(AuditEvent.of("console").ref("BIG23456").user("admin")
                    .field("note", "x".repeat(AuditLimits.MAX_RECORD_BYTES)).field("list", List.of("a", "b")).build());
        }
        String line = AuditTestFiles.lines(dir).stream().filter(l -> l.contains("BIG23456")).findFirst().orElseThrow();
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= AuditLimits.MAX_RECORD_BYTES);
        Map<String, Object> r = AuditJson.parse(line.getBytes(StandardCharsets.UTF_8));
        assertEquals("admin", r.get("user"));
        assertEquals(List.of("note", "list"), r.get("cut"));
        assertTrue((Long) r.get("cutBytes") > AuditLimits.MAX_RECORD_BYTES);
        assertTrue(verify().intact());
    }

    @Test
    void numberLikeDigitRunsNeverReachTheFile() throws Exception {
        String twelve = "1234" + "5678" + "9012";
        try (AuditLog audit = AuditLog.open(AuditTestFiles.settings(dir), dir, java.time.Clock.systemUTC())) {
            audit.record(AuditEvent.of("decision").field("attachment", "list-" + twelve + ".csv")
                    .field("nested", List.of(Map.of("where", "body " + twelve.substring(0, 4) + "-"
                            + twelve.substring(4, 8) + "-" + twelve.substring(8)))).build());
        }
        String all = String.join("\n", AuditTestFiles.lines(dir));
        assertFalse(all.contains(twelve));
        assertFalse(all.contains(twelve.substring(4)));
        assertTrue(all.contains("list-************.csv"));
        assertNotEquals(-1, all.indexOf("****-****-****"));
    }
}
