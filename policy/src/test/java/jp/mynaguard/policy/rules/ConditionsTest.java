package jp.mynaguard.policy.rules;

import static jp.mynaguard.policy.rules.TestPolicies.finding;
import static jp.mynaguard.policy.rules.TestPolicies.myNumber;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.extract.UnscannableReason;

/** Every condition kind, each in a one-rule policy: does rule {@code r} match this message? */
class ConditionsTest {
    @TempDir
    Path dir;

    static final String HEAD = """
            version: 1
            organization:
              internal_domains: [example.co.jp, "*.example.co.jp"]
              users:
                - address: tanaka@example.co.jp
                  logins: [tanaka]
                  groups: [eigyo]
              groups:
                - name: eigyo
            flows:
              - name: payroll
                owner: tanaka@example.co.jp
                senders: [group:eigyo]
                recipient_domains: [zeirishi.example.jp]
                expires: 2027-03-31
              - name: old
                owner: tanaka@example.co.jp
                senders: [tanaka@example.co.jp]
                recipient_domains: [old.example.jp]
                expires: 2026-01-31
            """;

    private boolean matches(String when, Envelope envelope, List<Finding> findings, List<Unscannable> unscannable) {
        Path file = TestPolicies.write(dir, "p.yaml", HEAD + "rules:\n  - name: r\n    when:\n"
                + when.indent(6) + "    action: block\ndefault: allow\n");
        Policy p = TestPolicies.loadOk(file);
        Decision d = PolicyEngine.of(p, TestPolicies.CLOCK).decide(envelope, findings, unscannable);
        return d.ruleName().equals("r");
    }

    private boolean matches(String when, Envelope envelope, Finding... findings) {
        return matches(when, envelope, List.of(findings), List.of());
    }

    static Envelope.Builder mail(String... to) {
        Envelope.Builder b = Envelope.smtp().sender("tanaka@example.co.jp");
        for (String t : to) {
            b.recipient(t);
        }
        return b;
    }

    static Envelope upload(String host, String method, String path) {
        return Envelope.http().authenticatedUser("tanaka").httpHost(host).httpMethod(method).httpPath(path).build();
    }

    @Test
    void channel() {
        assertTrue(matches("channel: smtp", mail("a@x.jp").build()));
        assertFalse(matches("channel: smtp", upload("up.example", "POST", "/")));
        assertTrue(matches("channel: [smtp, http]", upload("up.example", "POST", "/")));
    }

    @Test
    void senderAndGroupAndAuthentication() {
        assertTrue(matches("sender: ['*@example.co.jp']", mail("a@x.jp").build()));
        assertFalse(matches("sender: [boss@example.co.jp]", mail("a@x.jp").build()));
        assertTrue(matches("sender: [Tanaka@Example.co.jp]", upload("up.example", "POST", "/")),
                "the proxy login resolves to the directory address");
        assertTrue(matches("sender_group: [eigyo]", mail("a@x.jp").build()));
        assertFalse(matches("sender_group: [eigyo]", Envelope.smtp().sender("ghost@example.co.jp").build()));
        assertTrue(matches("authenticated: false", mail("a@x.jp").build()));
        assertTrue(matches("authenticated: true", upload("up.example", "POST", "/")));
    }

    @Test
    void externalRecipients() {
        Envelope mixed = mail("a@example.co.jp", "b@partner.jp").build();
        Envelope allExternal = mail("a@partner.jp", "b@other.jp").build();
        Envelope internal = mail("a@example.co.jp", "b@sub.example.co.jp").build();
        assertTrue(matches("external_recipients: any", mixed));
        assertFalse(matches("external_recipients: any", internal));
        assertFalse(matches("external_recipients: all", mixed));
        assertTrue(matches("external_recipients: all", allExternal));
        assertTrue(matches("external_recipients: none", internal));
        assertFalse(matches("external_recipients: all", Envelope.smtp().sender("x@example.co.jp").build()),
                "'all' needs at least one recipient");
        assertTrue(matches("external_recipients: any", upload("files.partner.jp", "PUT", "/")),
                "an upload's host is its recipient");
        assertFalse(matches("external_recipients: any", upload("wiki.example.co.jp", "PUT", "/")));
    }

    @Test
    void recipientDomainAndCounts() {
        Envelope e = mail("a@example.co.jp", "b@partner.jp", "c@Partner.jp").build();
        assertTrue(matches("recipient_domain: [partner.jp]", e));
        assertTrue(matches("recipient_domain: ['*.jp']", e));
        assertFalse(matches("recipient_domain: [other.jp]", e));
        assertTrue(matches("recipients_at_least: 3", e));
        assertFalse(matches("recipients_at_least: 4", e));
        assertTrue(matches("external_recipients_at_least: 2", e));
        assertFalse(matches("external_recipients_at_least: 3", e));
    }

    @Test
    void httpHostMethodPath() {
        Envelope up = upload("drive.share.example", "post", "/api/Upload");
        assertTrue(matches("http_host: ['*.share.example']", up));
        assertFalse(matches("http_host: [share.example]", up));
        assertTrue(matches("http_method: [POST, PUT]", up));
        assertFalse(matches("http_method: [PUT]", up));
        assertTrue(matches("http_path: ['/api/*']", up));
        assertFalse(matches("http_path: ['/api/upload']", up), "paths are case-sensitive");
        assertFalse(matches("http_host: ['*']", mail("a@x.jp").build()), "mail has no host");
    }

    @Test
    void findingsByTypeLevelAndCount() {
        Envelope e = mail("a@x.jp").build();
        assertFalse(matches("findings: {}", e));
        assertTrue(matches("findings: {}", e, myNumber(Level.LOW)));
        assertFalse(matches("findings: {min_level: MEDIUM}", e, myNumber(Level.LOW)));
        assertTrue(matches("findings: {min_level: medium}", e, myNumber(Level.HIGH)));
        assertFalse(matches("findings: {min_count: 2}", e, myNumber(Level.HIGH, 1)));
        assertTrue(matches("findings: {min_count: 2}", e, myNumber(Level.HIGH, 1), myNumber(Level.LOW, 2)));
        assertFalse(matches("findings: {min_level: HIGH, min_count: 2}", e, myNumber(Level.HIGH, 1),
                myNumber(Level.LOW, 2)));
        Finding corporate = finding(FindingType.CORPORATE_NUMBER, Level.HIGH, "3000000000000");
        assertFalse(matches("findings: {}", e, corporate), "by default only My Number types count");
        assertTrue(matches("findings: {type: [corporate_number]}", e, corporate));
        Finding truncated = finding(FindingType.MY_NUMBER_TRUNCATED, Level.MEDIUM, "2.72e+11");
        assertTrue(matches("findings: {min_level: MEDIUM}", e, truncated));
    }

    @Test
    void unscannableAnyOrByReason() {
        Envelope e = mail("a@x.jp").build();
        List<Unscannable> encrypted = List.of(new Unscannable("attachment:a.zip", UnscannableReason.ENCRYPTED, ""));
        assertTrue(matches("unscannable: true", e, List.of(), encrypted));
        assertFalse(matches("unscannable: true", e, List.of(), List.of()));
        assertTrue(matches("unscannable: [encrypted, too-large]", e, List.of(), encrypted));
        assertFalse(matches("unscannable: [timeout]", e, List.of(), encrypted));
    }

    @Test
    void attachmentsAndSize() {
        Envelope e = mail("a@x.jp").attachment("給与一覧.XLSX", "application/vnd.ms-excel; charset=x").size(5_000_000)
                .build();
        assertTrue(matches("attachment_name: ['*.xlsx']", e));
        assertTrue(matches("attachment_name: ['給与*']", e));
        assertFalse(matches("attachment_name: ['*.zip']", e));
        assertTrue(matches("attachment_type: ['application/*']", e));
        assertFalse(matches("attachment_type: [image/png]", e));
        assertTrue(matches("message_size_at_least: 4MB", e));
        assertFalse(matches("message_size_at_least: 5 MB", e));
    }

    @Test
    void registeredFlowsAndExpiry() {
        assertTrue(matches("flow: payroll", mail("a@zeirishi.example.jp").build()));
        assertTrue(matches("flow: any", mail("a@zeirishi.example.jp").build()));
        assertFalse(matches("flow: payroll", mail("a@zeirishi.example.jp", "b@elsewhere.jp").build()),
                "every recipient must be in the flow's domains");
        assertFalse(matches("flow: payroll", Envelope.smtp().sender("ghost@example.co.jp")
                .recipient("a@zeirishi.example.jp").build()));
        assertFalse(matches("flow: old", mail("a@old.example.jp").build()), "expired 2026-01-31");
    }

    @Test
    void anyOfAndNot() {
        Envelope e = mail("a@partner.jp").build();
        assertTrue(matches("any_of:\n  - {channel: http}\n  - {external_recipients: any}", e));
        assertFalse(matches("any_of:\n  - {channel: http}\n  - {recipients_at_least: 2}", e));
        assertTrue(matches("not: {channel: http}", e));
        assertFalse(matches("not: {external_recipients: any}", e));
    }

    @Test
    void allowListAndMinimumLevelFilterFindings() {
        Path file = TestPolicies.write(dir, "p.yaml", """
                version: 1
                detector:
                  min_level: MEDIUM
                  allow:
                    - shape: "9999-****-****"
                rules:
                  - name: r
                    when: {findings: {}}
                    action: block
                default: allow
                """);
        PolicyEngine engine = PolicyEngine.of(TestPolicies.loadOk(file), TestPolicies.CLOCK);
        Envelope e = mail("a@x.jp").build();
        List<Finding> findings = new ArrayList<>();
        findings.add(finding(FindingType.MY_NUMBER, Level.HIGH, "999912345678"));
        findings.add(myNumber(Level.LOW));
        assertEquals(Decision.DEFAULT_RULE, engine.decide(e, findings, List.of()).ruleName());
        findings.add(myNumber(Level.MEDIUM));
        assertEquals("r", engine.decide(e, findings, List.of()).ruleName());
    }
}
