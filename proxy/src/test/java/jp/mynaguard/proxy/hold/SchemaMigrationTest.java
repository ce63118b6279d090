package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by the previous version (schema 1: no workflow columns) opens as schema 2 with
 * its items intact: readable, decryptable, and decidable by the workflow.
 */
class SchemaMigrationTest {
    @TempDir
    Path data;

    @Test
    void aVersionOneStoreIsMigratedWithItsItems() throws Exception {
        Path content = Files.createDirectories(data.resolve("hold").resolve("content"));
        MasterKey key = MasterKey.loadOrCreate(data.resolve("master.key"), true);
        String ref = "OLDITEM2";
        byte[] message = HoldTestData.message(ref);
        byte[] raw = new byte[MasterKey.KEY_BYTES];
        new SecureRandom().nextBytes(raw);
        SecretKey dataKey = new SecretKeySpec(raw, "AES");
        ContentCipher.Sealed sealed;
        try (OutputStream out = Files.newOutputStream(content.resolve(ref + ".bin"))) {
            sealed = ContentCipher.encrypt(new ByteArrayInputStream(message), out, dataKey, ref);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hold").resolve("hold.db"));
             Statement s = c.createStatement()) {
            HoldSchema.createVersion1(s, SqlDialect.SQLITE);
            s.executeUpdate("PRAGMA user_version = 1");
            s.executeUpdate("INSERT INTO store_meta (key, value) VALUES ('master_key_id', '" + key.id() + "')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO held_items (reference_id, kind, state, channel,"
                    + " sender_display, recipient_count, rule, policy_version, findings_summary, received_at, release_after,"
                    + " size_bytes, content_sha256, content_file, key_id, wrapped_key, envelope, created_at, updated_at)"
                    + " VALUES (?, 'APPROVE', 'HELD', 'smtp', 'tanaka@example.co.jp', 1, 'old-rule', 'v1', 'MY_NUMBER HIGH x1',"
                    + " ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                long t = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
                ps.setString(1, ref);
                ps.setLong(2, t);
                ps.setLong(3, sealed.size());
                ps.setString(4, sealed.sha256());
                ps.setString(5, ref + ".bin");
                ps.setString(6, key.id());
                ps.setBytes(7, key.wrap(raw, ref));
                ps.setBytes(8, JdbcHoldStore.Sealing.envelope(dataKey, ref, "tanaka@example.co.jp",
                        List.of("partner@outside.test")));
                ps.setLong(9, t);
                ps.setLong(10, t);
                ps.executeUpdate();
            }
            s.executeUpdate("INSERT INTO item_transitions (reference_id, from_state, to_state, at, actor)"
                    + " VALUES ('" + ref + "', NULL, 'HELD', 0, 'gateway')");
        }

        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            assertEquals(String.valueOf(HoldSchema.VERSION), store.database().pragma("user_version"));
            StoredItem s = store.entry(ref).orElseThrow();
            assertEquals(HoldState.HELD, s.state());
            assertEquals(List.of("partner@outside.test"), s.item().recipients());
            assertEquals(HoldDetails.NONE.approvers(), s.details().approvers());
            assertNull(s.announcedAt());
            assertEquals("hold", store.transitions(ref).get(0).action());
            try (InputStream in = store.openContent(ref)) {
                assertArrayEquals(message, in.readAllBytes());
            }
            ApprovalWorkflow wf = new ApprovalWorkflow(store, WorkflowFixture.settings().build(), new RecordingNotifier(),
                    new RecordingAudit(), new MutableClock(Instant.parse("2026-11-27T00:00:00Z")), List::of);
            assertEquals("APPROVED", wf.approve(WorkflowFixture.ADMIN, ref, "old item, admin decides").state());
            assertEquals(store.entry(ref).orElseThrow().binding(), store.entry(ref).orElseThrow().approvedBinding());
        }
    }
}
