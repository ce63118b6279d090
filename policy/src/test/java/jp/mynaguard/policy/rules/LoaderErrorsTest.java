package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of mistake an admin can make, with the exact {@code file:line:column: message} reported. */
class LoaderErrorsTest {
    @TempDir
    Path dir;

    static final String ORG = """
            version: 1
            organization:
              internal_domains: [example.co.jp]
              users:
                - address: tanaka@example.co.jp
                  groups: [eigyo]
                  manager: yamada@example.co.jp
                - address: yamada@example.co.jp
                  groups: [eigyo]
              groups:
                - name: eigyo
                  approvers: [yamada@example.co.jp]
            """;

    /** Diagnostics of a policy written to {@code policy.yaml}, with the temp directory cut from the file names. */
    List<String> check(String yaml) {
        Path file = TestPolicies.write(dir, "policy.yaml", yaml);
        LoadResult r = TestPolicies.load(file);
        assertFalse(r.ok() && !r.errors().isEmpty(), "a policy with errors must not be returned");
        return r.diagnostics().stream().map(d -> d.toString().replace(dir.toString() + "/", "")).toList();
    }

    @Test
    void yamlSyntaxErrorHasLineAndColumn() {
        List<String> d = check("""
                version: 1
                rules:
                  - name: a
                    action: [quarantine, notify
                  - name: b
                default: allow
                """);
        assertEquals(1, d.size(), d.toString());
        assertEquals("policy.yaml:5:9: YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence)",
                d.get(0));
    }

    @Test
    void unknownKeySuggestsTheClosestOne() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    acton: block
                default: allow
                """);
        assertEquals(List.of(
                "policy.yaml:14:5: a rule needs 'action'",
                "policy.yaml:15:5: unknown key 'acton' in a rule (did you mean 'action'?)"), d);
    }

    @Test
    void unknownKeyWithoutCloseMatchListsTheAllowedKeys() {
        List<String> d = check("""
                version: 1
                colour: blue
                default: allow
                """);
        assertEquals(List.of("policy.yaml:2:1: unknown key 'colour' in the policy; allowed: version, name,"
                + " description, mode, timezone, organization, detector, flows, rules, default"), d);
    }

    @Test
    void wrongTypesAreReportedAtTheValue() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    when:
                      recipients_at_least: many
                      authenticated: maybe
                      channel: ftp
                      findings: HIGH
                    action: block
                default: allow
                """);
        assertEquals(List.of(
                "policy.yaml:16:28: 'recipients_at_least' must be a whole number from 1 to 100000, found 'many'",
                "policy.yaml:17:22: 'authenticated' must be true or false, found 'maybe'",
                "policy.yaml:18:16: 'channel' must be one of smtp, http, found 'ftp'",
                "policy.yaml:19:17: 'findings' must be a mapping (key: value), found 'HIGH'"), d);
    }

    @Test
    void badDurationSuggestsTheUnit() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    action:
                      type: approve
                      expire_after: 3 dayz
                default: allow
                """);
        assertEquals(List.of("policy.yaml:17:21: 'expire_after': bad duration '3 dayz': unknown unit 'dayz'"
                + " (did you mean 'days'?); use s, m, h, d or w, e.g. 3d"), d);
    }

    @Test
    void unknownGroupAndUserReferences() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    when:
                      sender_group: [eigo]
                    action:
                      type: approve
                      approvers: [nobody@example.co.jp, group:hr]
                default: allow
                """);
        assertEquals(List.of(
                "policy.yaml:16:22: sender_group refers to unknown group 'eigo' (did you mean 'eigyo'?)",
                "policy.yaml:19:19: approver 'nobody@example.co.jp' is not a user in the directory",
                "policy.yaml:19:41: 'approvers' refers to unknown group 'hr'"), d);
    }

    @Test
    void duplicateRuleNamesPointAtTheSecond() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    when: {channel: smtp}
                    action: block
                  - name: a
                    when: {channel: http}
                    action: block
                default: allow
                """);
        assertEquals(List.of("policy.yaml:17:5: duplicate rule name 'a' (first defined at policy.yaml:14:5)"), d);
    }

    @Test
    void duplicateKeysAreErrors() {
        List<String> d = check("""
                version: 1
                default: allow
                default: block
                """);
        assertEquals(List.of("policy.yaml:3:1: duplicate key 'default' (first written at line 2)"), d);
    }

    @Test
    void shadowedRuleIsReported() {
        List<String> d = check(ORG + """
                rules:
                  - name: any-external
                    when:
                      external_recipients: any
                      findings: {min_level: MEDIUM}
                    action: block
                  - name: external-high-sales
                    when:
                      sender_group: [eigyo]
                      external_recipients: all
                      findings: {min_level: HIGH, min_count: 2}
                    action:
                      type: approve
                default: allow
                """);
        assertEquals(List.of("policy.yaml:19:5: rule 'external-high-sales' can never match: rule 'any-external'"
                + " (line 14) comes first and matches every message this one matches; move this rule above it"
                + " or narrow 'any-external'"), d);
    }

    @Test
    void auditRuleDoesNotShadowAndNarrowerEarlierRuleDoesNot() {
        List<String> d = check(ORG + """
                rules:
                  - name: audit-all
                    mode: audit
                    action: block
                  - name: high
                    when: {findings: {min_level: HIGH}}
                    action: block
                  - name: medium
                    when: {findings: {min_level: MEDIUM}}
                    action: approve
                default: allow
                """);
        assertEquals(List.of(), d);
    }

    @Test
    void versionIsRequiredAndMustBeKnown() {
        assertEquals(List.of("policy.yaml:1:1: the policy needs 'version: 1' at the top"),
                check("default: allow\n"));
        assertEquals(List.of("policy.yaml:1:10: unsupported policy version 2; this Mynaguard understands version 1"),
                check("version: 2\ndefault: allow\n"));
    }

    @Test
    void defaultIsRequired() {
        assertEquals(List.of("policy.yaml:1:1: the policy needs 'default' (what happens when no rule matches),"
                + " e.g. 'default: allow'"), check("version: 1\nrules: []\n"));
    }

    @Test
    void actionParametersMustFitTheActionType() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    when: {channel: smtp}
                    action:
                      type: block
                      delay: 5m
                      on_expiry: release
                  - name: b
                    when: {channel: http}
                    action:
                      type: approve
                      on_no_approver: release
                      remind_before: 3d
                      expire_after: 2d
                default: allow
                """);
        assertEquals(List.of(
                "policy.yaml:18:14: 'delay' applies only to type: hold",
                "policy.yaml:19:7: 'on_expiry' applies only to type: approve",
                "policy.yaml:24:23: 'on_no_approver' cannot deliver a message nobody approved; choose block or quarantine",
                "policy.yaml:25:22: 'remind_before' (3d) must be shorter than 'expire_after' (2d)"), d);
    }

    @Test
    void unknownFlowIsReported() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    when: {flow: payrol}
                    action: allow
                default: allow
                """);
        assertEquals(List.of("policy.yaml:15:18: unknown flow 'payrol'; flows are defined under 'flows:' (or write 'any')"), d);
    }

    @Test
    void allErrorsOfAFileAreReportedAtOnce() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    when: {channel: fax, sender_group: [nobody]}
                    action: explode
                  - name: b
                    action: {type: hold, delay: soon}
                default: allow
                """);
        assertEquals(4, d.size(), d.toString());
    }

    @Test
    void notifySecurityNeedsASecurityTeam() {
        List<String> d = check(ORG + """
                rules:
                  - name: a
                    action: block
                    notify: [security]
                default: allow
                """);
        assertEquals(List.of("policy.yaml:16:14: 'notify: security' needs organization.security_team"), d);
    }

}
