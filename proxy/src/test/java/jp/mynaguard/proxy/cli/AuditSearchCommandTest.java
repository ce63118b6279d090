package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditFiles;
import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.AuditSettings;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mynaguard audit search} for the security officer with a reference id on the phone. */
class AuditSearchCommandTest {
    @TempDir
    Path dir;

    @BeforeEach
    void trail() throws Exception {
        try (AuditLog audit = AuditLog.open(AuditSettings.DEFAULTS.withDir(dir), dir, Clock.systemUTC())) {
            audit.record(AuditEvent.of(AuditEvent.DECISION).time(Instant.parse("2025-04-01T01:00:00Z")).channel("smtp")
                    .ref("ABC23XYZ").user("tanaka").action("block").field("rule", "my-number-block")
                    .field("sender", "tanaka@example.co.jp").field("recipients", List.of("a@partner.example"))
                    .field("externalRecipients", List.of("a@partner.example")).field("myNumbers", 3)
                    .field("findings", Map.of("MY_NUMBER", Map.of("HIGH", 3))).build());
            audit.record(AuditEvent.of(AuditEvent.DECISION).time(Instant.parse("2025-04-02T01:00:00Z")).channel("smtp")
                    .ref("DEF45UVW").user("sato").action("allow").field("rule", "default").build());
            audit.record(AuditEvent.of(AuditEvent.CONSOLE).time(Instant.parse("2025-04-02T02:00:00Z"))
                    .ref("ABC23XYZ").user("officer").action("reveal").build());
            audit.record(AuditEvent.of(AuditEvent.POLICY_RELOAD).time(Instant.parse("2025-04-03T02:00:00Z"))
                    .field("accepted", false).field("errors", List.of("policy.yaml:3:5: unknown key 'rulez'")).build());
        }
    }

    private static ScanCommandTest.Run search(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "audit";
        all[1] = "search";
        System.arraycopy(args, 0, all, 2, args.length);
        return ScanCommandTest.run(all);
    }

    @Test
    void byReferenceIdInAnyCase() {
        ScanCommandTest.Run r = search("--ref", "abc23xyz", "--zone", "Asia/Tokyo", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(4, r.out().size(), r.out().toString());
        assertTrue(r.out().get(0).startsWith("日時 time"), r.out().get(0));
        assertTrue(r.out().get(1).startsWith("2025-04-01 10:00:00"), r.out().get(1));
        assertTrue(r.out().get(1).contains("my-number-block"), r.out().get(1));
        assertTrue(r.out().get(1).contains("tanaka@example.co.jp -> 1 rcpt (1 external); 3 My Numbers; MY_NUMBER HIGH x3"),
                r.out().get(1));
        assertTrue(r.out().get(2).contains("officer") && r.out().get(2).contains("reveal"), r.out().get(2));
        assertEquals("2 record(s) / 件", r.out().get(3));
    }

    @Test
    void byUserRuleActionTypeAndTime() {
        assertEquals(3, search("--user", "SATO", dir.toString()).out().size());
        assertEquals(3, search("--rule", "my-number-block", dir.toString()).out().size());
        assertEquals(3, search("--action", "allow", dir.toString()).out().size());
        ScanCommandTest.Run reload = search("--type", "policy", dir.toString());
        assertEquals(3, reload.out().size());
        assertTrue(reload.out().get(1).contains("accepted=false"), reload.out().get(1));
        ScanCommandTest.Run day = search("--from", "2025-04-02", "--to", "2025-04-02", "--zone", "UTC", dir.toString());
        assertEquals(4, day.out().size(), day.out().toString());
        ScanCommandTest.Run decisionsOnly = search("--type", "decision", "--from", "2025-04-01T00:30:00Z",
                "--to", "2025-04-01T01:30:00Z", dir.toString());
        assertEquals(3, decisionsOnly.out().size());
    }

    @Test
    void jsonPrintsTheStoredLines() throws Exception {
        ScanCommandTest.Run r = search("--json", "--ref", "ABC23XYZ", dir.toString());
        assertEquals(0, r.exit());
        assertEquals(2, r.out().size());
        List<String> stored = Files.readAllLines(AuditFiles.list(dir).get(0), StandardCharsets.UTF_8);
        assertTrue(stored.contains(r.out().get(0)));
        assertTrue(stored.contains(r.out().get(1)));
    }

    @Test
    void nothingFoundAndBadArguments() {
        ScanCommandTest.Run none = search("--ref", "ZZZZZZZZ", dir.toString());
        assertEquals(1, none.exit());
        assertEquals("0 record(s) / 件", none.out().get(none.out().size() - 1));
        ScanCommandTest.Run bad = search("--from", "yesterday", dir.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("not a time: 'yesterday'"), bad.err());
    }
}
