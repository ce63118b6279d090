package jp.mynaguard.proxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.extract.UnscannableReason;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.rules.PolicyEngine;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.policy.scan.ScanReport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision record's counts and the incident criteria, rule flag first. */
class DecisionRecordTest {
    private static final String POLICY = String.join("\n",
            "version: 1",
            "organization:",
            "  internal_domains: [example.co.jp]",
            "detector:",
            "  min_level: MEDIUM",
            "  allow:",
            "    - shape: '9999********'",
            "      note: training manual",
            "rules:",
            "  - name: own-team-roster",
            "    when:",
            "      recipient_domain: [trusted.example]",
            "    action: allow",
            "    incident: false",
            "  - name: any-zip",
            "    when:",
            "      attachment_name: ['*.zip']",
            "    action: quarantine",
            "    incident: true",
            "default: allow", "");

    @TempDir
    Path dir;

    private Policy policy() throws Exception {
        Path p = dir.resolve("policy.yaml");
        Files.writeString(p, POLICY);
        return PolicyLoader.withSystemClock().load(p).policy().orElseThrow();
    }

    /** {@code n} distinct My Numbers at {@code level}; digits made up, never written as a literal. */
    private static List<Finding> numbers(int n, Level level) {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Finding(FindingType.MY_NUMBER, level, "attachment:list.csv/Sheet1!C" + (i + 2), List.of(),
                    "1" + String.format("%011d", i), 1));
        }
        return out;
    }

    private static Map<String, Object> record(Policy p, Envelope env, List<Finding> f, List<Unscannable> u) {
        return DecisionRecord.of("REF", Instant.now(), env, PolicyEngine.of(p, Clock.systemUTC()).decide(env, f, u),
                new ScanReport(f, u)).build().fields();
    }

    @Test
    void countsLevelsAllowListAndDistinctMyNumbers() throws Exception {
        Policy p = policy();
        List<Finding> f = new ArrayList<>(numbers(3, Level.HIGH));
        f.addAll(numbers(2, Level.LOW));
        f.add(new Finding(FindingType.MY_NUMBER, Level.HIGH, "body", List.of(), "9999" + "0".repeat(8), 1));
        f.add(new Finding(FindingType.CORPORATE_NUMBER, Level.HIGH, "body", List.of(), "1" + "0".repeat(12), 1));
        Map<String, Object> r = record(p, Envelope.smtp().sender("a@example.co.jp").recipient("b@example.co.jp").build(),
                f, List.of());
        assertEquals(Map.of("MY_NUMBER", Map.of("HIGH", 4, "LOW", 2), "CORPORATE_NUMBER", Map.of("HIGH", 1)),
                r.get("findings"));
        assertEquals(Map.of("MY_NUMBER", Map.of("HIGH", 1)), r.get("allowListed"));
        assertEquals(3, r.get("myNumbers"), "LOW is below min_level, the allow-listed one does not count");
        assertEquals(false, r.get("incident"), "inside the company, not bulk");
    }

    @Test
    void locationsAreCappedButEveryUnscannableReasonIsKept() throws Exception {
        Policy p = policy();
        List<Unscannable> u = new ArrayList<>();
        for (int i = 0; i < AuditLimits.MAX_LOCATIONS + 5; i++) {
            u.add(new Unscannable("attachment:part" + i + ".bin", UnscannableReason.MALFORMED, ""));
        }
        u.add(new Unscannable("attachment:last.zip", UnscannableReason.ENCRYPTED, ""));
        Map<String, Object> r = record(p, Envelope.smtp().sender("a@example.co.jp").recipient("b@example.co.jp").build(),
                numbers(AuditLimits.MAX_LOCATIONS + 10, Level.HIGH), u);
        assertEquals(AuditLimits.MAX_LOCATIONS, ((List<?>) r.get("locations")).size());
        List<?> kept = (List<?>) r.get("unscannable");
        assertEquals(AuditLimits.MAX_LOCATIONS + 1, kept.size(), "the limit, plus the one further reason");
        assertEquals(AuditLimits.MAX_LOCATIONS + 10, r.get("myNumbers"), "counts stay complete");
    }

    @Test
    void replayStandInsAreCapped() {
        Map<String, Object> r = Map.of("findings", Map.of("MY_NUMBER", Map.of("HIGH", 1_000_000_000L)),
                "allowListed", Map.of("MY_NUMBER", Map.of("HIGH", 1L)));
        assertEquals(AuditLimits.REPLAY_MAX_FINDINGS, PolicyReplay.findings(r).size());
        Map<String, Object> small = Map.of("findings", Map.of("MY_NUMBER", Map.of("HIGH", 3L, "LOW", 2L)),
                "allowListed", Map.of("MY_NUMBER", Map.of("HIGH", 1L)));
        assertEquals(4, PolicyReplay.findings(small).size(), "the allow-listed one is left out");
    }

    @Test
    void theBuiltInCriteria() throws Exception {
        Policy p = policy();
        Map<String, Object> high = record(p, Envelope.smtp().sender("a@example.co.jp").recipient("x@partner.example")
                .build(), numbers(1, Level.HIGH), List.of());
        assertEquals(List.of("high-external"), high.get("incidentReasons"));
        Map<String, Object> bulk = record(p, Envelope.smtp().sender("a@example.co.jp").recipient("b@example.co.jp")
                .build(), numbers(AuditLimits.BULK_NUMBERS, Level.MEDIUM), List.of());
        assertEquals(List.of("bulk"), bulk.get("incidentReasons"));
        Map<String, Object> upload = record(p, Envelope.http().httpHost("files.partner.example").httpMethod("POST")
                .httpPath("/up").build(), numbers(1, Level.HIGH), List.of());
        assertEquals(List.of("high-external"), upload.get("incidentReasons"));
        assertEquals(true, upload.get("externalHost"));
        Map<String, Object> zipInside = record(p, Envelope.smtp().sender("a@example.co.jp").recipient("b@example.co.jp")
                .build(), List.of(), List.of(new Unscannable("attachment:給与.zip", UnscannableReason.ENCRYPTED, "")));
        assertEquals(false, zipInside.get("incident"), "an encrypted archive inside the company");
    }

    @Test
    void theRuleFlagDecides() throws Exception {
        Policy p = policy();
        Map<String, Object> trusted = record(p, Envelope.smtp().sender("a@example.co.jp").recipient("x@trusted.example")
                .build(), numbers(50, Level.HIGH), List.of());
        assertEquals("own-team-roster", trusted.get("rule"));
        assertEquals(false, trusted.get("incident"), "incident: false overrides bulk and high-external");
        assertNull(trusted.get("incidentReasons"));
        Map<String, Object> zip = record(p, Envelope.smtp().sender("a@example.co.jp").recipient("b@example.co.jp")
                .attachment("photos.zip", "application/zip").build(), List.of(), List.of());
        assertEquals(List.of("rule"), zip.get("incidentReasons"));
    }
}
