package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.hold.WorkflowFixture.ADMIN;
import static jp.mynaguard.proxy.hold.WorkflowFixture.YAMADA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jp.mynaguard.proxy.ReferenceId;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared store on a real PostgreSQL server: items and content visible to every instance,
 * the master key check, compare-and-set decisions across instances, and two gateway instances
 * (each with its own connections, scheduler and upstream client) releasing every approved item
 * exactly once to a real SMTP server.
 */
class PostgresHoldStoreTest {
    private static TestPostgres pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start();
        assumeTrue(pg != null, "no PostgreSQL can run here (as root: install the postgresql package)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private static PostgresHoldStore open(String url, Path data) throws IOException {
        return PostgresHoldStore.open(new PostgresSettings(url, "postgres", null, 4), data);
    }

    /** A second instance's data directory with the first one's master key. */
    private Path sibling(Path first, String name) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.copy(first.resolve("master.key"), d.resolve("master.key"), StandardCopyOption.COPY_ATTRIBUTES);
        return d;
    }

    @Test
    void itemsAndTheirContentAreSharedByInstancesAndEncrypted() throws Exception {
        String url = pg.newDatabase();
        Path a = dir.resolve("a");
        byte[] big = ("Subject: big\r\n\r\n" + (HoldTestData.MARKER + "\r\n").repeat(110_000)).getBytes(StandardCharsets.UTF_8);
        assertTrue(big.length > 2 * HoldLimits.CONTENT_CHUNK_BYTES, "spans several chunks");
        String small = ReferenceId.next();
        String large = ReferenceId.next();
        try (PostgresHoldStore first = open(url, a)) {
            first.hold(HoldTestData.request(small, HoldTestData.message(small), WorkflowFixture.T0));
            first.hold(HoldTestData.request(large, big, WorkflowFixture.T0.plusSeconds(1)));
        }
        try (PostgresHoldStore second = open(url, sibling(a, "b"))) {
            assertEquals(List.of(large, small), second.list(10).stream().map(HeldItem::referenceId).toList());
            HeldItem item = second.find(small).orElseThrow();
            assertEquals(List.of("partner@example.com", HoldTestData.DIGIT_RUN + "@example.net"), item.recipients());
            try (InputStream in = second.openContent(large)) {
                assertArrayEquals(big, in.readAllBytes());
            }
            try (InputStream in = second.openContent(small)) {
                assertArrayEquals(HoldTestData.message(small), in.readAllBytes());
            }
            assertEquals("hold", second.transitions(small).get(0).action());
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT data FROM held_content UNION ALL"
                     + " SELECT envelope FROM held_items UNION ALL SELECT convert_to(sender_display, 'UTF8') FROM held_items");
             ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
                String bytes = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(HoldTestData.MARKER), "no plaintext content in the database");
                assertFalse(bytes.contains(HoldTestData.DIGIT_RUN), "no digit run in the database");
                rows++;
            }
            assertTrue(rows > 4);
        }
    }

    @Test
    void anotherInstanceNeedsTheSameMasterKey() throws Exception {
        String url = pg.newDatabase();
        Path a = dir.resolve("a");
        try (PostgresHoldStore first = open(url, a)) {
            first.hold(HoldTestData.request(ReferenceId.next(), HoldTestData.message("x"), WorkflowFixture.T0));
        }
        IOException missing = assertThrows(IOException.class, () -> open(url, dir.resolve("empty")));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        Path other = Files.createDirectories(dir.resolve("other"));
        try (SqliteHoldStore unrelated = SqliteHoldStore.open(other)) {
            // creates a different master.key there
            assertTrue(Files.exists(other.resolve("master.key")) && unrelated.list(1).isEmpty());
        }
        IOException wrong = assertThrows(IOException.class, () -> open(url, other));
        assertTrue(wrong.getMessage().contains("not the one"), wrong.getMessage());
    }

    @Test
    void decisionsAreCompareAndSetAcrossInstances() throws Exception {
        String url = pg.newDatabase();
        Path a = dir.resolve("a");
        try (WorkflowFixture one = new WorkflowFixture(open(url, a), WorkflowFixture.upstream(0),
                WorkflowFixture.settings().build(), "one")) {
            String ref = one.approval();
            try (WorkflowFixture two = new WorkflowFixture(open(url, sibling(a, "b")), WorkflowFixture.upstream(0),
                    WorkflowFixture.settings().build(), "two")) {
                CountDownLatch go = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    Future<HeldItem> x = pool.submit(() -> {
                        go.await();
                        return one.workflow.approve(YAMADA, ref, "one");
                    });
                    Future<HeldItem> y = pool.submit(() -> {
                        go.await();
                        return two.workflow.reject(ADMIN, ref, "two");
                    });
                    go.countDown();
                    int won = 0;
                    for (Future<HeldItem> fut : List.of(x, y)) {
                        try {
                            fut.get();
                            won++;
                        } catch (java.util.concurrent.ExecutionException e) {
                            assertEquals(WorkflowException.Reason.CONFLICT, ((WorkflowException) e.getCause()).reason());
                        }
                    }
                    assertEquals(1, won);
                } finally {
                    pool.shutdownNow();
                }
                assertEquals(2, two.store.transitions(ref).size());
            }
        }
    }

    @Test
    void twoGatewayInstancesReleaseEveryApprovedItemExactlyOnce() throws Exception {
        String url = pg.newDatabase();
        Path a = dir.resolve("a");
        int items = 12;
        try (SmtpSink sink = new SmtpSink();
             WorkflowFixture one = new WorkflowFixture(open(url, a), WorkflowFixture.upstream(sink.port()),
                     WorkflowFixture.settings().releasesPerTick(4).build(), "instance-one")) {
            List<String> refs = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                String ref = one.approval();
                one.workflow.approve(YAMADA, ref, null);
                refs.add(ref);
            }
            try (WorkflowFixture two = new WorkflowFixture(open(url, sibling(a, "b")), WorkflowFixture.upstream(sink.port()),
                    WorkflowFixture.settings().releasesPerTick(4).build(), "instance-two")) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    for (int round = 0; round < 4; round++) {
                        Future<?> x = pool.submit(one.scheduler::tick);
                        Future<?> y = pool.submit(two.scheduler::tick);
                        x.get();
                        y.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            List<SmtpSink.Message> got = sink.snapshot();
            assertEquals(items, got.size());
            assertEquals(items, got.stream().map(m -> m.text().split("Message-ID: <")[1].split("@")[0]).distinct().count());
            List<String> owners = new ArrayList<>();
            for (String ref : refs) {
                assertEquals(HoldState.RELEASED, one.state(ref));
                List<HoldWorkflow.Transition> h = one.store.transitions(ref);
                assertEquals(1, h.stream().filter(t -> t.action().equals("release-claimed")).count());
                owners.add(h.get(h.size() - 1).actor());
            }
            assertTrue(owners.contains("instance-one") && owners.contains("instance-two"),
                    "both instances released some: " + owners);
        }
    }

    @Test
    void retentionShredsTheKeyAndDeletesTheChunks() throws Exception {
        String url = pg.newDatabase();
        try (WorkflowFixture f = new WorkflowFixture(open(url, dir.resolve("a")), WorkflowFixture.upstream(0),
                WorkflowFixture.settings().build(), "one")) {
            String ref = f.approval();
            f.workflow.reject(YAMADA, ref, null);
            f.clock.advance(HoldSettings.DEFAULT_RETENTION.plusSeconds(1));
            f.scheduler.tick();
            assertTrue(f.entry(ref).contentDestroyed());
            assertThrows(IOException.class, () -> f.store.openContent(ref));
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                 PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM held_content WHERE reference_id = ?),"
                         + " (SELECT count(*) FROM held_items WHERE reference_id = ? AND wrapped_key IS NULL)")) {
                ps.setString(1, ref);
                ps.setString(2, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "chunks deleted");
                    assertEquals(1, rs.getInt(2), "key gone, row kept");
                }
            }
        }
    }

    @Test
    void contentLeftWithoutARowIsRemovedLater() throws Exception {
        String url = pg.newDatabase();
        try (PostgresHoldStore store = open(url, dir.resolve("a"))) {
            TableContentVault vault = new TableContentVault(store.database().connections());
            vault.store("ORPHAN01", out -> out.write(new byte[100]));
            assertEquals(0, store.removeOrphans(java.time.Instant.now().minusSeconds(60)), "too young: a hold in progress");
            assertEquals(1, store.removeOrphans(java.time.Instant.now().plusSeconds(1)));
            assertThrows(IOException.class, () -> vault.open("db:ORPHAN01"));
        }
    }
}
