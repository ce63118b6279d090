package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code incident: true|false} on rules and on the default: loaded, checked, carried by the decision. */
class IncidentFlagTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            version: 1
            organization:
              internal_domains: [example.co.jp]
            rules:
              - name: roster-out
                when:
                  findings: {min_count: 10}
                action: block
                incident: true
              - name: own-number-ok
                when:
                  findings: {min_count: 1}
                action: allow
                incident: false
              - name: plain
                when:
                  external_recipients: any
                action: allow
            default:
              action: allow
              incident: false
            """;

    @Test
    void theFlagIsReadPerRuleAndForTheDefault() {
        Policy p = TestPolicies.loadOk(TestPolicies.write(dir, "policy.yaml", POLICY));
        assertEquals(SideEffects.Incident.YES, p.rules().get(0).effects().incident());
        assertEquals(SideEffects.Incident.NO, p.rules().get(1).effects().incident());
        assertEquals(SideEffects.Incident.AUTO, p.rules().get(2).effects().incident());
        assertEquals(SideEffects.Incident.NO, p.defaultEffects().incident());
        Decision d = PolicyEngine.of(p, TestPolicies.CLOCK).decide(Envelope.smtp().sender("a@example.co.jp")
                .recipient("b@partner.example").build(), List.of(), List.of());
        assertEquals("plain", d.ruleName());
        assertEquals(SideEffects.Incident.AUTO, d.effects().incident());
        assertFalse(d.effects().isEmpty() && d.effects().incident() != SideEffects.Incident.AUTO);
    }

    @Test
    void aValueThatIsNotTrueOrFalseIsAnError() {
        LoadResult r = TestPolicies.load(TestPolicies.write(dir, "policy.yaml",
                POLICY.replace("incident: true", "incident: maybe")));
        assertFalse(r.ok());
        String errors = TestPolicies.lines(r.errors());
        assertTrue(errors.contains("policy.yaml:9:15"), errors);
        assertTrue(errors.contains("incident"), errors);
    }

    @Test
    void theOldConstructorMeansNoFlag() {
        SideEffects e = new SideEffects(java.util.Set.of(), 0, java.util.Map.of(), "");
        assertEquals(SideEffects.Incident.AUTO, e.incident());
        assertTrue(e.isEmpty());
    }
}
