package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.AuditSettings;
import jp.mynaguard.proxy.audit.ReleaseRecord;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldKind;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mynaguard incident report} on a trail of real decisions: a blocked roster, a released encrypted zip, a colleague's mail. */
class IncidentReportCommandTest {
    static final String POLICY = String.join("\n",
            "version: 1",
            "name: report test",
            "timezone: Asia/Tokyo",
            "organization:",
            "  internal_domains: [example.co.jp]",
            "  security_team: [security@example.co.jp]",
            "  users:",
            "    - address: tanaka@example.co.jp",
            "      logins: [tanaka]",
            "      groups: [jinji]",
            "  groups:",
            "    - name: jinji",
            "      description: 人事部",
            "rules:",
            "  - name: unscannable-quarantine",
            "    when:",
            "      unscannable: true",
            "    action: quarantine",
            "  - name: roster-block",
            "    when:",
            "      findings: {min_level: LOW, min_count: 2}",
            "    action: block",
            "  - name: colleague-ok",
            "    when:",
            "      external_recipients: none",
            "    action: allow",
            "default: block", "");

    @TempDir
    static Path dir;
    static Path audit;
    static Path policy;

    /** One trail for all tests: scanning the roster is the slow part. */
    @BeforeAll
    static void trail() throws Exception {
        Path corpus = DecisionFixture.corpus();
        Assumptions.assumeTrue(corpus != null, "shared corpus not found");
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        DecisionFixture fx = new DecisionFixture(policy);
        audit = Files.createDirectories(dir.resolve("audit"));
        byte[] roster = Files.readAllBytes(corpus.resolve("cases/bulk_01_roster_50_csv.eml"));
        byte[] ppap = Files.readAllBytes(corpus.resolve("cases/archive_05_zipcrypto_ppap.eml"));
        byte[] one = Files.readAllBytes(corpus.resolve("cases/plain_text_01_kw_mynumber_plain.eml"));
        try (AuditLog log = AuditLog.open(AuditSettings.DEFAULTS.withDir(audit), audit, Clock.systemUTC())) {
            log.record(fx.decide("OLDER234", Instant.parse("2025-03-20T01:00:00Z"), roster, "tanaka@example.co.jp",
                    "tanaka", List.of("hr@partner.example"), "refused"));
            log.record(fx.decide("ROSTER23", Instant.parse("2025-04-01T01:00:00Z"), roster, "tanaka@example.co.jp",
                    "tanaka", List.of("hr@partner.example", "sato@example.co.jp"), "refused"));
            log.record(fx.decide("PPAPZIP2", Instant.parse("2025-04-02T01:00:00Z"), ppap, "tanaka@example.co.jp",
                    "tanaka", List.of("someone@partner.example"), "held"));
            log.record(fx.decide("COLLEAG2", Instant.parse("2025-04-02T02:00:00Z"), one, "tanaka@example.co.jp",
                    "tanaka", List.of("sato@example.co.jp"), "delivered"));
            HeldItem held = new HeldItem("PPAPZIP2", HoldKind.QUARANTINE, "RELEASED", "smtp", "tanaka@example.co.jp",
                    List.of("someone@partner.example"), "unscannable-quarantine", fx.policy.version(),
                    "unscannable: encrypted (attachment:給与.zip)", Instant.parse("2025-04-02T01:00:00Z"), null, 1000,
                    "0".repeat(64));
            log.record(ReleaseRecord.of(AuditEvent.RELEASE, held, "officer", fx.policy.organization())
                    .time(Instant.parse("2025-04-03T05:00:00Z")).field("outcome", "delivered").build());
        }
    }

    private static ScanCommandTest.Run report(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "incident";
        all[1] = "report";
        System.arraycopy(args, 0, all, 2, args.length);
        return ScanCommandTest.run(all);
    }

    @Test
    void markdownForTheBlockedRosterAndTheReleasedZip() {
        ScanCommandTest.Run r = report("--from", "2025-04-01", "--to", "2025-04-30", "--zone", "Asia/Tokyo",
                "--audit", audit.toString(), "--policy", policy.toString());
        assertEquals(0, r.exit(), r.err());
        String md = String.join("\n", r.out());
        assertTrue(md.startsWith("# 個人番号の漏えい等事案 報告書（下書き） / My Number incident report (draft)"), md);
        assertTrue(md.contains("| 事案数 / Incidents | 2 |"), md);
        assertTrue(md.contains("| 社外に出たもの / Left the company | 1（"), md);
        assertTrue(md.contains("| 停止したもの / Stopped | 1 |"), md);
        assertFalse(md.contains("OLDER234"), "before the period");
        assertFalse(md.contains("COLLEAG2"), "not an incident");
        int roster = md.indexOf("参照番号 / ref ROSTER23");
        int zip = md.indexOf("参照番号 / ref PPAPZIP2");
        assertTrue(roster > 0 && zip > roster, "in order of detection");
        String rosterPart = md.substring(roster, zip);
        assertTrue(rosterPart.contains("| 検知日時 / Detected | 2025-04-01 10:00:00 +09:00 |"), rosterPart);
        assertTrue(rosterPart.contains("| 部署 / Department | 人事部 (jinji) |"), rosterPart);
        assertTrue(rosterPart.contains("hr@partner.example（社外）, sato@example.co.jp（社内）"), rosterPart);
        assertTrue(rosterPart.contains("| 個人番号の数（重複除外） / My Numbers (distinct) | 50 |"), rosterPart);
        assertTrue(rosterPart.contains("停止（拒否） / stopped: blocked"), rosterPart);
        assertTrue(rosterPart.contains("| 適用ルール / Rule | roster-block (block) |"), rosterPart);
        assertTrue(rosterPart.contains("### 発生原因 / Cause"), rosterPart);
        assertTrue(rosterPart.contains("### 再発防止のための措置 / Measures to prevent a recurrence"), rosterPart);
        String zipPart = md.substring(zip);
        assertTrue(zipPart.contains("社外送信（保留後に解放） / left: released after holding（2025-04-03 14:00:00 +09:00 officer）"),
                zipPart);
        assertTrue(zipPart.contains("検査できない圧縮ファイルを社外へ / unscannable archive addressed outside"
                + " (unscannable-archive-external)"), zipPart);
    }

    @Test
    void allIncludesEveryDecisionWithMyNumbers() {
        ScanCommandTest.Run r = report("--from", "2025-04-01", "--to", "2025-04-30", "--audit", audit.toString(), "--all");
        assertTrue(String.join("\n", r.out()).contains("COLLEAG2"));
    }

    @Test
    void csvHasOneRowPerIncidentAndEmptyColumnsToFillIn() throws Exception {
        Path out = dir.resolve("report.csv");
        ScanCommandTest.Run r = report("--from", "2025-04-01", "--to", "2025-04-30", "--zone", "Asia/Tokyo",
                "--format", "csv", "--audit", audit.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String csv = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("\uFEFF参照番号 ref,検知日時 detected,"), csv);
        String[] lines = csv.split("\r\n");
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("ROSTER23,2025-04-01 10:00:00 +09:00,smtp,tanaka@example.co.jp,tanaka,jinji,"
                + "\"hr@partner.example (external), sato@example.co.jp (internal)\",1,50,"), lines[1]);
        assertTrue(lines[1].endsWith(",,,,,"), "five columns left to write");
    }

    @Test
    void jsonTotals() throws Exception {
        ScanCommandTest.Run r = report("--from", "2025-04-01", "--to", "2025-04-30", "--format", "json",
                "--audit", audit.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(String.join("\n", r.out()));
        assertEquals(2, j.get("totals").get("incidents").asInt());
        assertEquals(50, j.get("totals").get("myNumbers").asInt());
        assertEquals(1, j.get("totals").get("left").asInt());
        JsonNode first = j.get("events").get(0);
        assertEquals("ROSTER23", first.get("ref").asText());
        assertEquals("stopped-blocked", first.get("fate").asText());
        assertTrue(first.get("destinations").get(0).get("external").asBoolean());
        assertEquals("", first.get("toWrite").get("cause").asText());
    }

    @Test
    void badDatesAndAMissingTrail() {
        assertEquals(2, report("--from", "April", "--audit", audit.toString()).exit());
        assertEquals(2, report("--from", "2025-04-02", "--to", "2025-04-01", "--audit", audit.toString()).exit());
        ScanCommandTest.Run none = report("--from", "2025-04-01", "--audit", dir.resolve("nothing").toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("no audit files"), none.err());
    }
}
