package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.Level;

/**
 * A coarse guard against pathological slowdowns of evaluation (the JMH benchmark measures it
 * properly): 200 rules, most messages reaching the default, must stay far above what a gateway
 * needs. The bound is loose so a busy CI machine does not fail it.
 */
class EvaluationSpeedTest {
    @TempDir
    Path dir;

    @Test
    void twoHundredRulesEvaluateInMicroseconds() {
        StringBuilder yaml = new StringBuilder("""
                version: 1
                organization:
                  internal_domains: [example.co.jp]
                  users:
                    - address: tanaka@example.co.jp
                      groups: [g0]
                  groups:
                """);
        for (int g = 0; g < 20; g++) {
            yaml.append("    - name: g").append(g).append('\n');
        }
        yaml.append("rules:\n");
        for (int i = 0; i < 200; i++) {
            yaml.append("  - name: r").append(i).append('\n')
                    .append("    when:\n")
                    .append("      sender_group: [g").append(1 + i % 19).append("]\n")
                    .append("      recipient_domain: [partner").append(i).append(".jp, '*.p").append(i).append(".jp']\n")
                    .append("      findings: {min_level: MEDIUM, min_count: ").append(1 + i % 5).append("}\n")
                    .append("    action: block\n");
        }
        yaml.append("default: allow\n");
        Policy policy = TestPolicies.loadOk(TestPolicies.write(dir, "p.yaml", yaml.toString()));
        PolicyEngine engine = PolicyEngine.of(policy, TestPolicies.CLOCK);
        Envelope envelope = Envelope.smtp().sender("tanaka@example.co.jp").recipient("a@partner.jp")
                .recipient("b@example.co.jp").build();
        List<Finding> findings = List.of(TestPolicies.myNumber(Level.HIGH, 1), TestPolicies.myNumber(Level.LOW, 2));

        int n = 300_000;
        long start = 0;
        for (int round = 0; round < 2; round++) {
            start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Decision d = engine.decide(envelope, findings, List.of());
                if (d.action() != Action.ALLOW) {
                    throw new AssertionError(d.toString());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = n / seconds;
        System.out.printf("rules: %d decisions/s on a 200-rule policy (%.2f us each)%n", (long) perSecond,
                1e6 / perSecond);
        assertEquals(200, policy.rules().size());
        assertTrue(perSecond > 20_000, "evaluation became pathologically slow: " + (long) perSecond + "/s");
    }
}
