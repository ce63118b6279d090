package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.hold.HoldTestData.DIGIT_RUN;
import static jp.mynaguard.proxy.hold.HoldTestData.MARKER;
import static jp.mynaguard.proxy.hold.HoldTestData.message;
import static jp.mynaguard.proxy.hold.HoldTestData.request;
import static jp.mynaguard.proxy.hold.HoldTestData.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.ReferenceId;

class SqliteHoldStoreTest {
    @TempDir
    Path data;

    private static byte[] read(SqliteHoldStore store, String ref) throws IOException {
        try (InputStream in = store.openContent(ref)) {
            return in.readAllBytes();
        }
    }

    @Test
    void holdListFindAndDecrypt() throws Exception {
        Instant t0 = Instant.parse("2026-11-27T01:00:00.123456Z");
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            List<HeldItem> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String ref = ReferenceId.next();
                held.add(store.hold(request(ref, message(ref), t0.plusSeconds(i))));
            }
            HeldItem first = held.get(0);
            assertEquals("HELD", first.state());
            assertEquals(HoldKind.APPROVE, first.kind());
            assertEquals(t0.toEpochMilli(), first.receivedAt().toEpochMilli());
            assertEquals(List.of("partner@example.com", DIGIT_RUN + "@example.net"), first.recipients());
            assertEquals(sha256(message(first.referenceId())), first.contentSha256());
            assertEquals(message(first.referenceId()).length, first.sizeBytes());

            List<HeldItem> listed = store.list(10);
            assertEquals(List.of(held.get(2), held.get(1), held.get(0)), listed, "newest first, exactly as held");
            assertEquals(2, store.list(2).size());
            assertEquals(first, store.find(first.referenceId()).orElseThrow());
            assertTrue(store.find("NOSUCHID").isEmpty());
            for (HeldItem h : held) {
                assertArrayEquals(message(h.referenceId()), read(store, h.referenceId()));
            }
            List<HoldWorkflow.Transition> history = store.transitions(first.referenceId());
            assertEquals(1, history.size());
            assertEquals(null, history.get(0).from());
            assertEquals(HoldState.HELD, history.get(0).to());
            assertEquals("hold", history.get(0).action());
        }
        // And again after reopening.
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            assertEquals(3, store.list(100).size());
            HeldItem any = store.list(1).get(0);
            assertArrayEquals(message(any.referenceId()), read(store, any.referenceId()));
        }
    }

    @Test
    void durabilitySettingsAreInForce() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            assertEquals("wal", store.database().pragma("journal_mode"));
            assertEquals("2", store.database().pragma("synchronous"), "2 = FULL");
            assertEquals(String.valueOf(HoldSchema.VERSION), store.database().pragma("user_version"));
        }
    }

    @Test
    void keyFileAndDirectoriesArePrivate() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("master.key"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("hold"))));
            String ref = ReferenceId.next();
            store.hold(request(ref, message(ref), Instant.now()));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.contentFile(ref))));
        }
    }

    @Test
    void nothingOnDiskHoldsThePlaintextOrTheDigits() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            for (int i = 0; i < 3; i++) {
                String ref = ReferenceId.next();
                HoldRequest r = request(ref, message(ref), Instant.now());
                store.hold(new HoldRequest(ref, r.kind(), r.channel(), DIGIT_RUN + "@example.co.jp", r.recipients(),
                        "rule " + DIGIT_RUN, r.policyVersion(), "MY_NUMBER HIGH x1 (attachment:" + DIGIT_RUN + ".csv)",
                        r.receivedAt(), null, r.content()));
                // The exact values still come back through the store.
                assertEquals(DIGIT_RUN + "@example.co.jp", store.find(ref).orElseThrow().sender());
                assertEquals("rule ************", store.find(ref).orElseThrow().rule());
            }
            List<Path> files;
            try (Stream<Path> all = Files.walk(data)) {
                files = all.filter(Files::isRegularFile).toList();
            }
            assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("hold.db-wal")), files.toString());
            for (Path f : files) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(MARKER), f + " holds the plaintext marker");
                assertFalse(text.contains(new String(MARKER.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
                assertFalse(text.contains(DIGIT_RUN), f + " holds the digit run in clear");
                assertFalse(text.contains("partner@example.com"), f + " holds a recipient in clear");
            }
        }
    }

    @Test
    void wrongMasterKeyIsAClearError() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            String ref = ReferenceId.next();
            store.hold(request(ref, message(ref), Instant.now()));
        }
        Path keyFile = data.resolve("master.key");
        byte[] other = new byte[32];
        new java.security.SecureRandom().nextBytes(other);
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(other) + "\n");
        IOException e = assertThrows(IOException.class, () -> SqliteHoldStore.open(data));
        assertTrue(e.getMessage().contains("is not the one this hold store was created with"), e.getMessage());

        Files.delete(keyFile);
        e = assertThrows(IOException.class, () -> SqliteHoldStore.open(data));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertFalse(Files.exists(keyFile), "no new key is made for a store that has items");
    }

    @Test
    void keyFileReadableByOthersIsRefused() throws Exception {
        SqliteHoldStore.open(data).close();
        Path keyFile = data.resolve("master.key");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> SqliteHoldStore.open(data));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void tamperedCiphertextIsAnError() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            String ref = ReferenceId.next();
            store.hold(request(ref, message(ref), Instant.now()));
            Path file = store.contentFile(ref);
            byte[] original = Files.readAllBytes(file);

            byte[] flipped = original.clone();
            flipped[ContentCipher.HEADER_BYTES + 3] ^= 0x01;
            Files.write(file, flipped);
            IOException e = assertThrows(IOException.class, () -> read(store, ref));
            assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());

            byte[] header = original.clone();
            header[10] ^= 0x01;
            Files.write(file, header);
            assertThrows(IOException.class, () -> read(store, ref));

            Files.write(file, java.util.Arrays.copyOf(original, original.length - 1));
            assertThrows(IOException.class, () -> read(store, ref));

            // Another item's (valid) file in its place: different key and reference id.
            String other = ReferenceId.next();
            store.hold(request(other, message(other), Instant.now()));
            Files.copy(store.contentFile(other), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThrows(IOException.class, () -> read(store, ref));
        }
    }

    @Test
    void largeAndBoundarySizedContentRoundTrips() throws Exception {
        int seg = ContentCipher.SEGMENT_SIZE;
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            for (int size : new int[] {0, 1, seg - 1, seg, seg + 1, 3 * seg, 3 * seg + 17, 5_000_000}) {
                byte[] content = new byte[size];
                new java.util.Random(size).nextBytes(content);
                String ref = ReferenceId.next();
                try (InputSource src = InputSource.spool(new ByteArrayInputStream(content), 1 << 20, Long.MAX_VALUE)) {
                    HoldRequest r = request(ref, content, Instant.now());
                    HeldItem item = store.hold(new HoldRequest(ref, r.kind(), r.channel(), r.sender(), r.recipients(),
                            r.rule(), r.policyVersion(), r.findingsSummary(), r.receivedAt(), null, src));
                    assertEquals(size, item.sizeBytes());
                    assertEquals(sha256(content), item.contentSha256());
                }
                assertArrayEquals(content, read(store, ref), "size " + size);
            }
        }
    }

    @Test
    void duplicateReferenceIdIsRefusedAndTheFirstItemKept() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            String ref = ReferenceId.next();
            store.hold(request(ref, message(ref), Instant.now()));
            assertThrows(IOException.class, () -> store.hold(request(ref, "other".getBytes(), Instant.now())));
            assertArrayEquals(message(ref), read(store, ref));
            assertEquals(1, store.list(10).size());
        }
    }

    @Test
    void concurrentHolds() throws Exception {
        int threads = 8;
        int perThread = 25;
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<HeldItem>> futures = new ArrayList<>();
            for (int i = 0; i < threads * perThread; i++) {
                futures.add(pool.submit(() -> {
                    String ref = ReferenceId.next();
                    return store.hold(request(ref, message(ref), Instant.now()));
                }));
            }
            Set<String> refs = new java.util.HashSet<>();
            for (Future<HeldItem> f : futures) {
                refs.add(f.get().referenceId());
            }
            pool.shutdown();
            assertEquals(threads * perThread, refs.size());
            List<HeldItem> listed = store.list(1000);
            assertEquals(refs, listed.stream().map(HeldItem::referenceId).collect(Collectors.toSet()));
            for (String ref : refs) {
                assertArrayEquals(message(ref), read(store, ref));
            }
        }
    }

    @Test
    void orphansOfAnInterruptedHoldAreRemovedWhenOld() throws Exception {
        SqliteHoldStore.open(data).close();
        Path content = data.resolve("hold").resolve("content");
        Path oldTmp = Files.writeString(content.resolve(".hold-1.tmp"), "x");
        Path oldBin = Files.writeString(content.resolve("ORPHAN01.bin"), "x");
        Path freshTmp = Files.writeString(content.resolve(".hold-2.tmp"), "x");
        FileTime old = FileTime.from(Instant.now().minus(SqliteHoldStore.ORPHAN_AGE).minus(Duration.ofMinutes(1)));
        Files.setLastModifiedTime(oldTmp, old);
        Files.setLastModifiedTime(oldBin, old);
        SqliteHoldStore.open(data).close();
        assertFalse(Files.exists(oldTmp));
        assertFalse(Files.exists(oldBin));
        assertTrue(Files.exists(freshTmp), "may belong to a hold in progress");
    }

    @Test
    void itemsWithoutRecipientsOrReleaseTime() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            String ref = ReferenceId.next();
            HoldRequest r = new HoldRequest(ref, HoldKind.HOLD, "http", "user@example.co.jp", List.of(), "upload",
                    "v1", "MY_NUMBER HIGH x2", Instant.now(), Instant.parse("2026-11-27T10:00:00Z"),
                    InputSource.of(new byte[] {1, 2, 3}));
            HeldItem h = store.hold(r);
            assertEquals(List.of(), h.recipients());
            assertEquals(h, store.find(ref).orElseThrow());
            assertEquals(Instant.parse("2026-11-27T10:00:00Z"), h.releaseAfter());
        }
    }
}
