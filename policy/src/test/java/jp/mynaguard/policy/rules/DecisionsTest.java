package jp.mynaguard.policy.rules;

import static jp.mynaguard.policy.rules.TestPolicies.myNumber;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.detect.Level;

/** Actions, approvers, side effects, first-match order, the default, audit mode and explanations. */
class DecisionsTest {
    @TempDir
    Path dir;

    static final String ORG = """
            version: 1
            organization:
              internal_domains: [example.co.jp]
              security_team: [security@example.co.jp]
              users:
                - address: tanaka@example.co.jp
                  groups: [eigyo]
                  manager: yamada@example.co.jp
                - address: yamada@example.co.jp
                  groups: [eigyo]
                - address: suzuki@example.co.jp
                - address: sato@example.co.jp
                - address: lonely@example.co.jp
              groups:
                - name: eigyo
                  approvers: [yamada@example.co.jp, tanaka@example.co.jp]
                  backup_approvers: [suzuki@example.co.jp]
                - name: compliance
                  approvers: [sato@example.co.jp]
            """;

    PolicyEngine engine(String rulesAndDefault) {
        return PolicyEngine.of(TestPolicies.loadOk(TestPolicies.write(dir, "p.yaml", ORG + rulesAndDefault)),
                TestPolicies.CLOCK);
    }

    static Envelope from(String sender, String... to) {
        return Envelope.smtp().sender(sender).recipients(List.of(to)).build();
    }

    @Test
    void firstMatchWinsAndDefaultApplies() {
        PolicyEngine e = engine("""
                rules:
                  - name: high
                    when: {findings: {min_level: HIGH}}
                    action: block
                  - name: any
                    when: {findings: {}}
                    action: quarantine
                default: {action: hold, notify: [sender]}
                """);
        Envelope env = from("tanaka@example.co.jp", "a@partner.jp");
        Decision high = e.decide(env, List.of(myNumber(Level.LOW), myNumber(Level.HIGH)), List.of());
        assertEquals("high", high.ruleName());
        assertEquals(Action.BLOCK, high.action());
        assertEquals(Action.QUARANTINE, e.decide(env, List.of(myNumber(Level.LOW)), List.of()).action());
        Decision none = e.decide(env, List.of(), List.of());
        assertTrue(none.isDefault());
        assertEquals(Decision.DEFAULT_RULE, none.ruleName());
        assertEquals(Action.HOLD, none.action());
        assertEquals(Duration.ofMinutes(5), none.holdDelay());
        assertEquals(Set.of(SideEffects.NotifyTarget.SENDER), none.effects().notifyTargets());
        assertEquals(List.of("high: findings: {type: [MY_NUMBER, MY_NUMBER_TRUNCATED], min_level: HIGH,"
                        + " min_count: 1}: no such finding", "any: findings: {type: [MY_NUMBER, MY_NUMBER_TRUNCATED],"
                        + " min_level: LOW, min_count: 1}: no such finding"),
                none.whyOthersDidNotMatch().stream().map(Decision.RuleOutcome::toString).toList());
    }

    @Test
    void blockReasonAndHoldDelay() {
        PolicyEngine e = engine("""
                rules:
                  - name: b
                    when: {channel: http}
                    action: {type: block, reason: {ja: 送信できません, en: Not allowed}}
                  - name: h
                    when: {channel: smtp}
                    action: {type: hold, delay: 15m, reason: 取り消せます}
                default: allow
                """);
        Decision b = e.decide(Envelope.http().httpHost("x.jp").build(), List.of(), List.of());
        assertEquals(new LocalizedText("送信できません", "Not allowed"), b.reason());
        assertNull(b.holdDelay());
        Decision h = e.decide(from("tanaka@example.co.jp"), List.of(), List.of());
        assertEquals(Duration.ofMinutes(15), h.holdDelay());
        assertEquals("取り消せます", h.reason().en());
    }

    @Test
    void approversFromSenderGroupAndManagerNeverTheSenderWithBackups() {
        PolicyEngine e = engine("""
                rules:
                  - name: a
                    action:
                      type: approve
                      approvers: [sender_group, manager]
                      backup_approvers: [group:compliance]
                      expire_after: 2d
                      remind_before: 6h
                      on_expiry: release
                default: allow
                """);
        Decision d = e.decide(from("tanaka@example.co.jp", "x@partner.jp"), List.of(), List.of());
        assertEquals(Action.APPROVE, d.action());
        assertEquals(List.of("yamada@example.co.jp"), d.approvers(), "tanaka is an eigyo approver but the sender");
        assertEquals(List.of("sato@example.co.jp", "suzuki@example.co.jp"), d.backupApprovers());
        assertEquals(Duration.ofDays(2), d.approval().expireAfter());
        assertEquals(Duration.ofHours(6), d.approval().remindBefore());
        assertEquals(ApprovalSpec.ExpiryOutcome.RELEASE, d.approval().onExpiry());
    }

    @Test
    void approverWhoIsARecipientIsSkippedAndBackupsStepIn() {
        PolicyEngine e = engine("""
                rules:
                  - name: a
                    action: {type: approve, approvers: [yamada@example.co.jp], backup_approvers: [suzuki@example.co.jp]}
                default: allow
                """);
        Decision d = e.decide(from("tanaka@example.co.jp", "yamada@example.co.jp"), List.of(), List.of());
        assertEquals(List.of("suzuki@example.co.jp"), d.approvers());
        assertEquals(List.of(), d.backupApprovers());
    }

    @Test
    void noApproverFailsClosed() {
        PolicyEngine e = engine("""
                rules:
                  - name: q
                    when: {channel: http}
                    action: {type: approve, approvers: [manager], on_no_approver: quarantine}
                  - name: a
                    action: {type: approve, approvers: [sender_group, manager]}
                default: allow
                """);
        Decision unknownSender = e.decide(from("stranger@partner.jp", "a@example.co.jp"), List.of(), List.of());
        assertEquals(Action.BLOCK, unknownSender.action(), "on_no_approver defaults to block");
        assertEquals("a", unknownSender.ruleName());
        assertEquals("no approver could be found for the sender; on_no_approver: block", unknownSender.note());
        Decision lonely = e.decide(Envelope.http().authenticatedUser("lonely@example.co.jp").httpHost("x.jp").build(),
                List.of(), List.of());
        assertEquals(Action.QUARANTINE, lonely.action());
        assertEquals(Action.BLOCK, e.decide(from("lonely@example.co.jp", "z@partner.jp"), List.of(), List.of())
                .action());
    }

    @Test
    void sideEffectsAndBccConversionThreshold() {
        PolicyEngine e = engine("""
                rules:
                  - name: s
                    action: allow
                    notify: [sender, approvers, security]
                    bcc_when_external_at_least: 2
                    add_headers: {X-Mynaguard: checked}
                    subject_tag: "[要確認]"
                default: allow
                """);
        Decision one = e.decide(from("tanaka@example.co.jp", "a@partner.jp", "b@example.co.jp"), List.of(), List.of());
        assertFalse(one.convertToBcc());
        Decision two = e.decide(from("tanaka@example.co.jp", "a@partner.jp", "b@other.jp"), List.of(), List.of());
        assertTrue(two.convertToBcc());
        assertEquals(Map.of("X-Mynaguard", "checked"), two.effects().addHeaders());
        assertEquals("[要確認]", two.effects().subjectTag());
        assertEquals(Set.of(SideEffects.NotifyTarget.SENDER, SideEffects.NotifyTarget.APPROVERS,
                SideEffects.NotifyTarget.SECURITY), two.effects().notifyTargets());
    }

    @Test
    void auditRuleRecordsAndTheNextEnforceRuleDecides() {
        PolicyEngine e = engine("""
                rules:
                  - name: trial-block
                    mode: audit
                    when: {findings: {}}
                    action: block
                  - name: external
                    when: {external_recipients: any}
                    action: quarantine
                default: allow
                """);
        Decision d = e.decide(from("tanaka@example.co.jp", "a@partner.jp"), List.of(myNumber(Level.HIGH)), List.of());
        assertEquals(Mode.AUDIT, d.mode());
        assertEquals("trial-block", d.ruleName());
        assertEquals(Action.BLOCK, d.action());
        assertEquals("external", d.enforced().ruleName());
        assertEquals(Action.QUARANTINE, d.enforced().action());
        assertEquals(List.of(), d.whyOthersDidNotMatch());

        Decision internal = e.decide(from("tanaka@example.co.jp", "b@example.co.jp"), List.of(myNumber(Level.HIGH)),
                List.of());
        assertEquals(Action.ALLOW, internal.enforced().action());
        assertTrue(internal.enforced().isDefault());
        assertEquals(List.of("trial-block: matched, but in audit mode (would have: block)",
                        "external: external_recipients: any: 0 of 1 recipients are external"),
                internal.enforced().whyOthersDidNotMatch().stream().map(Decision.RuleOutcome::toString).toList());
        assertEquals(List.of("external: external_recipients: any: 0 of 1 recipients are external"),
                internal.whyOthersDidNotMatch().stream().map(Decision.RuleOutcome::toString).toList(),
                "the audit decision's own rule is the decision, not a rule that failed");

        Decision clean = e.decide(from("tanaka@example.co.jp", "a@partner.jp"), List.of(), List.of());
        assertEquals(Mode.ENFORCE, clean.mode());
        assertSame(clean, clean.enforced());
    }

    @Test
    void topLevelAuditModeMakesEveryRuleAuditUnlessItSaysOtherwise() {
        Path file = TestPolicies.write(dir, "p.yaml", ORG.replace("version: 1\n", "version: 1\nmode: audit\n") + """
                rules:
                  - name: a
                    action: block
                  - name: b
                    mode: enforce
                    when: {channel: smtp}
                    action: quarantine
                default: allow
                """);
        Policy p = TestPolicies.loadOk(file);
        assertEquals(Mode.AUDIT, p.rules().get(0).mode());
        Decision d = PolicyEngine.of(p, TestPolicies.CLOCK).decide(from("x@example.co.jp"), List.of(), List.of());
        assertEquals("a", d.ruleName());
        assertEquals(Action.QUARANTINE, d.enforced().action());
    }

    @Test
    void everyDecisionNamesThePolicyVersion() {
        PolicyEngine e = engine("default: allow\n");
        Decision d = e.decide(from("x@example.co.jp"), List.of(), List.of());
        assertEquals(64, d.policyVersion().length());
        assertTrue(d.policyVersion().matches("[0-9a-f]{64}"));
        assertTrue(d.toString().contains("policy=" + d.policyVersion().substring(0, 12)), d.toString());
    }
}
