package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.AuditSettings;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mynaguard policy replay}: the whole mail corpus decided and recorded under a policy with an
 * audit-mode rule, then replayed under the same policy (nothing may change: the record carries every
 * decision input) and under the one with that rule enforced.
 */
class PolicyReplayCommandTest {
    static final String AUDITING = String.join("\n",
            "version: 1",
            "name: replay test",
            "organization:",
            "  internal_domains: [example.co.jp]",
            "  users:",
            "    - address: tanaka@example.co.jp",
            "      logins: [tanaka]",
            "      groups: [jinji]",
            "  groups:",
            "    - name: jinji",
            "rules:",
            "  - name: unscannable-quarantine",
            "    when:",
            "      unscannable: true",
            "    action: quarantine",
            "  - name: zip-hold",
            "    when:",
            "      attachment_name: ['*.zip']",
            "    action: hold",
            "  - name: jinji-external-high",
            "    when:",
            "      sender_group: [jinji]",
            "      external_recipients: any",
            "      findings: {min_level: HIGH}",
            "    action: block",
            "  - name: roster-block",
            "    mode: audit",
            "    when:",
            "      external_recipients: any",
            "      findings: {min_level: MEDIUM, min_count: 10}",
            "    action: block",
            "  - name: big-mail",
            "    when:",
            "      message_size_at_least: 200KB",
            "    action: quarantine",
            "default: allow", "");

    @TempDir
    static Path dir;
    static Path audit;
    static Path auditing;
    static int cases;

    @BeforeAll
    static void trail() throws Exception {
        Path corpus = DecisionFixture.corpus();
        Assumptions.assumeTrue(corpus != null, "shared corpus not found");
        auditing = dir.resolve("auditing.yaml");
        Files.writeString(auditing, AUDITING);
        DecisionFixture fx = new DecisionFixture(auditing);
        audit = Files.createDirectories(dir.resolve("audit"));
        JsonNode labels = new ObjectMapper().readTree(corpus.resolve("labels.json").toFile());
        Instant t = Instant.now().minusSeconds(3600);
        try (AuditLog log = AuditLog.open(AuditSettings.DEFAULTS.withDir(audit), audit, Clock.systemUTC())) {
            int i = 0;
            for (JsonNode label : labels) {
                if (!"eml".equals(label.get("kind").asText())) {
                    continue;
                }
                byte[] mail = Files.readAllBytes(corpus.resolve(label.get("file").asText()));
                // Every other mail from the jinji user, half of them to outside.
                boolean jinji = i % 2 == 0;
                List<String> to = i % 4 < 2 ? List.of("someone@partner.example") : List.of("sato@example.co.jp");
                log.record(fx.decide(String.format("CASE%04d", i), t.plusSeconds(i), mail,
                        jinji ? "tanaka@example.co.jp" : "kato@example.co.jp", jinji ? "tanaka" : null, to, "-"));
                i++;
            }
            cases = i;
        }
    }

    private static ScanCommandTest.Run replay(String policy, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("policy", "replay", "--policy", policy, "--since", "1d",
                "--audit", audit.toString()));
        args.addAll(List.of(more));
        return ScanCommandTest.run(args.toArray(new String[0]));
    }

    @Test
    void theSamePolicyDecidesEveryRecordedMessageTheSameWay() {
        ScanCommandTest.Run r = replay(auditing.toString());
        assertEquals(0, r.exit(), String.join("\n", r.out()) + r.err());
        assertTrue(r.out().get(1).contains("unchanged: " + cases + ", would change: 0"), r.out().toString());
        assertTrue(String.join("\n", r.out()).contains("roster-block (block): "), "the audit rule's catches are listed");
    }

    @Test
    void enforcingTheAuditRuleShowsWhatWouldMove() throws Exception {
        Path enforcing = dir.resolve("enforcing.yaml");
        Files.writeString(enforcing, AUDITING.replace("    mode: audit\n", ""));
        ScanCommandTest.Run r = replay(enforcing.toString(), "--examples", "2");
        assertEquals(1, r.exit(), r.err());
        String text = String.join("\n", r.out());
        String line = r.out().stream().filter(l -> l.startsWith("  default (allow) -> roster-block (block): "))
                .findFirst().orElseThrow(() -> new AssertionError(text));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("  default \\(allow\\) -> roster-block \\(block\\): (\\d+)   e\\.g\\. (CASE\\d{4}(, CASE\\d{4})*)")
                .matcher(line);
        assertTrue(m.matches(), line);
        int moved = Integer.parseInt(m.group(1));
        assertTrue(moved >= 1);
        assertEquals(Math.min(moved, 2), m.group(2).split(", ").length, "at most --examples ids");
        assertTrue(r.out().stream().noneMatch(l -> l.contains("-> unscannable-quarantine")), text);
        String allowLine = r.out().stream().filter(l -> l.startsWith("  allow: ")).findFirst().orElseThrow();
        String[] counts = allowLine.substring("  allow: ".length()).split(" -> ");
        assertTrue(Integer.parseInt(counts[1]) < Integer.parseInt(counts[0]), allowLine);
    }

    @Test
    void aStricterMinimumLevelReleasesMediumFindings() throws Exception {
        Path stricter = dir.resolve("stricter.yaml");
        Files.writeString(stricter, AUDITING.replace("rules:\n", "detector:\n  min_level: HIGH\nrules:\n")
                .replace("    mode: audit\n", ""));
        ScanCommandTest.Run r = replay(stricter.toString());
        assertEquals(1, r.exit());
        assertTrue(String.join("\n", r.out()).contains("-> roster-block (block)"), r.out().toString());
    }

    @Test
    void anInvalidPolicyReplaysNothing() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, AUDITING.replace("default: allow", ""));
        ScanCommandTest.Run r = replay(bad.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("invalid; nothing replayed"), r.err());
        assertEquals(2, replay(auditing.toString(), "--until", "soon").exit());
    }
}
