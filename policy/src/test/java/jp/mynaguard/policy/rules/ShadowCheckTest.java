package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shadowed-rule check: a later rule is reported only when an earlier enforce rule certainly
 * matches every message it matches (sound), across condition kinds and combinations.
 */
class ShadowCheckTest {
    @TempDir
    Path dir;

    /** Whether rule 'later' is reported as shadowed by rule 'earlier'. */
    boolean shadowed(String earlierWhen, String laterWhen) {
        Path file = TestPolicies.write(dir, "p.yaml", """
                version: 1
                organization:
                  internal_domains: [example.co.jp]
                  groups: [{name: a}, {name: b}]
                flows:
                  - {name: f, owner: x@example.co.jp, senders: [x@example.co.jp], recipient_domains: [z.jp], expires: 2027-03-31}
                  - {name: g, owner: x@example.co.jp, senders: [x@example.co.jp], recipient_domains: [y.jp], expires: 2027-03-31}
                rules:
                  - name: earlier
                    when: %s
                    action: block
                  - name: later
                    when: %s
                    action: quarantine
                default: allow
                """.formatted(earlierWhen, laterWhen).replace("organization:\n", "organization:\n  users: [{address: x@example.co.jp}]\n"));
        List<Diagnostic> errors = TestPolicies.load(file).errors();
        boolean reported = errors.stream().anyMatch(d -> d.message().startsWith("rule 'later' can never match"));
        errors.stream().filter(d -> !d.message().startsWith("rule 'later'")).findFirst().ifPresent(d -> {
            throw new AssertionError("unexpected error: " + d);
        });
        return reported;
    }

    @Test
    void widerEarlierRuleShadows() {
        assertEquals(true, shadowed("{}", "{channel: smtp}"));
        assertEquals(true, shadowed("{channel: [smtp, http]}", "{channel: smtp}"));
        assertEquals(true, shadowed("{sender_group: [a, b]}", "{sender_group: [a]}"));
        assertEquals(true, shadowed("{external_recipients: any}", "{external_recipients: all}"));
        assertEquals(true, shadowed("{external_recipients: any}", "{external_recipients_at_least: 3}"));
        assertEquals(true, shadowed("{recipients_at_least: 2}", "{external_recipients_at_least: 3}"));
        assertEquals(true, shadowed("{recipient_domain: ['*.jp']}", "{recipient_domain: [partner.jp]}"));
        assertEquals(true, shadowed("{findings: {type: [my_number, corporate_number]}}",
                "{findings: {type: [my_number], min_level: HIGH, min_count: 3}}"));
        assertEquals(true, shadowed("{unscannable: true}", "{unscannable: [encrypted]}"));
        assertEquals(true, shadowed("{attachment_name: ['*']}", "{attachment_name: ['*.zip']}"));
        assertEquals(true, shadowed("{message_size_at_least: 1MB}", "{message_size_at_least: 2MB}"));
        assertEquals(true, shadowed("{flow: any}", "{flow: f}"));
        assertEquals(true, shadowed("{channel: smtp}", "{any_of: [{channel: smtp, recipients_at_least: 2}, {channel: smtp}]}"));
        assertEquals(true, shadowed("{any_of: [{channel: http}, {recipients_at_least: 2}]}", "{recipients_at_least: 5}"));
        assertEquals(true, shadowed("{not: {channel: http}}", "{not: {channel: [http, smtp]}}"));
    }

    @Test
    void narrowerOrUnrelatedEarlierRuleDoesNot() {
        assertEquals(false, shadowed("{channel: smtp}", "{}"));
        assertEquals(false, shadowed("{sender_group: [a]}", "{sender_group: [a, b]}"));
        assertEquals(false, shadowed("{external_recipients: all}", "{external_recipients: any}"));
        assertEquals(false, shadowed("{external_recipients: none}", "{external_recipients: any}"));
        assertEquals(false, shadowed("{findings: {min_level: HIGH}}", "{findings: {min_level: MEDIUM, min_count: 5}}"));
        assertEquals(false, shadowed("{findings: {}}", "{findings: {type: [corporate_number]}}"));
        assertEquals(false, shadowed("{unscannable: [encrypted]}", "{unscannable: true}"));
        assertEquals(false, shadowed("{recipient_domain: ['*.partner.jp']}", "{recipient_domain: ['*.jp']}"));
        assertEquals(false, shadowed("{flow: f}", "{flow: g}"));
        assertEquals(false, shadowed("{flow: f}", "{flow: any}"));
        assertEquals(false, shadowed("{not: {channel: [http, smtp]}}", "{not: {channel: http}}"));
        assertEquals(false, shadowed("{authenticated: true}", "{authenticated: false}"));
    }
}
