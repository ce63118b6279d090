package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory file, registered flows (expiry warnings) and allow-listed shapes (never numbers). */
class DirectoryFlowsAndShapesTest {
    @TempDir
    Path dir;

    List<String> diagnostics(LoadResult r) {
        return r.diagnostics().stream().map(d -> d.toString().replace(dir.toString() + "/", "")).toList();
    }

    LoadResult load(String policy) {
        return TestPolicies.load(TestPolicies.write(dir, "policy.yaml", policy));
    }

    static final String PEOPLE = """
            version: 1
            groups:
              - name: payroll
                approvers: [sato@example.co.jp]
            users:
              - address: sato@example.co.jp
                groups: [payroll]
            """;

    @Test
    void usersAndGroupsComeFromTheDirectoryFile() {
        TestPolicies.write(dir, "people.yaml", PEOPLE);
        LoadResult r = load("""
                version: 1
                organization:
                  directory: people.yaml
                  internal_domains: [example.co.jp]
                rules:
                  - name: payroll-approve
                    when: {sender_group: [payroll]}
                    action: {type: approve, approvers: [group:payroll]}
                default: allow
                """);
        assertEquals(List.of(), diagnostics(r));
        assertEquals(List.of("payroll"), r.policy().orElseThrow().organization().user("sato@example.co.jp").groups());
    }

    @Test
    void errorsInTheDirectoryFilePointIntoIt() {
        TestPolicies.write(dir, "people.yaml", """
                version: 1
                users:
                  - address: sato@example.co.jp
                    grups: [payroll]
                  - address: not-an-address
                groups:
                  - name: payroll
                    approvers: [tanaka@example.co.jp]
                """);
        LoadResult r = load("""
                version: 1
                organization:
                  directory: people.yaml
                  internal_domains: [example.co.jp]
                default: allow
                """);
        assertEquals(List.of(
                "people.yaml:4:5: unknown key 'grups' in a user (did you mean 'groups'?)",
                "people.yaml:5:14: 'address' must be a mail address like tanaka@example.co.jp, found 'not-an-address'",
                "people.yaml:8:17: approver of group 'payroll' 'tanaka@example.co.jp' is not a user in the directory"),
                diagnostics(r));
    }

    @Test
    void missingDirectoryFileIsReportedWhereItIsNamed() {
        LoadResult r = load("""
                version: 1
                organization:
                  internal_domains: [example.co.jp]
                  directory: nobody.yaml
                default: allow
                """);
        assertEquals(List.of("policy.yaml:4:14: cannot read 'nobody.yaml': no such file"), diagnostics(r));
    }

    static String flowPolicy(String expires) {
        return """
                version: 1
                organization:
                  internal_domains: [example.co.jp]
                  users:
                    - address: sato@example.co.jp
                flows:
                  - name: payroll-to-zeirishi
                    owner: sato@example.co.jp
                    senders: [sato@example.co.jp]
                    recipient_domains: [zeirishi.example.jp]
                    expires: %s
                rules:
                  - name: flow
                    when: {flow: payroll-to-zeirishi}
                    action: allow
                default: block
                """.formatted(expires);
    }

    @Test
    void expiredFlowIsAWarningNotAnError() {
        LoadResult r = load(flowPolicy("2026-10-31"));
        assertTrue(r.ok());
        assertEquals(List.of("policy.yaml:11:14: warning: flow 'payroll-to-zeirishi' expired on 2026-10-31; it no"
                + " longer matches any message: renew it (new expires date) or remove it"), diagnostics(r));
    }

    @Test
    void flowExpiringSoonIsAWarning() {
        LoadResult r = load(flowPolicy("2026-12-10"));
        assertEquals(List.of("policy.yaml:11:14: warning: flow 'payroll-to-zeirishi' expires on 2026-12-10;"
                + " renew it if it is still needed"), diagnostics(r));
        assertEquals(List.of(), diagnostics(load(flowPolicy("2027-03-31"))));
    }

    @Test
    void flowNeedsItsFieldsAndAKnownOwner() {
        LoadResult r = load("""
                version: 1
                organization:
                  internal_domains: [example.co.jp]
                flows:
                  - name: f
                    owner: ghost@example.co.jp
                    senders: [group:nobody]
                    recipient_domains: [zeirishi.example.jp]
                    expires: 31/03/2027
                default: allow
                """);
        assertEquals(List.of(
                "policy.yaml:6:12: owner of flow 'f' 'ghost@example.co.jp' is not a user in the directory",
                "policy.yaml:7:15: flow 'f' senders refers to unknown group 'nobody'",
                "policy.yaml:9:14: 'expires' must be a date written YYYY-MM-DD, e.g. 2027-03-31, found '31/03/2027'"),
                diagnostics(r));
    }

    @Test
    void allowListTakesShapesNotNumbers() {
        LoadResult r = load("""
                version: 1
                detector:
                  allow:
                    - shape: "9999-****-****"
                    - shape: "1234-5678-9012"
                    - shape: "12345*******"
                    - shape: "abc"
                default: allow
                """);
        assertEquals(List.of(
                "policy.yaml:5:14: allow-listed values are shapes, not numbers: this one fixes 12 digits, at most 4"
                        + " may be fixed and the rest must be '*' (e.g. 9999********). A real number must never be"
                        + " written into the policy; the file would become a copy of it",
                "policy.yaml:5:15: a number of 12 or more digits is written here; a policy file must never hold a"
                        + " My Number, not even in a comment. To allow-list dummy numbers, write a shape that fixes"
                        + " at most 4 digits, e.g. 9999********",
                "policy.yaml:6:14: allow-listed values are shapes, not numbers: this one fixes 5 digits, at most 4"
                        + " may be fixed and the rest must be '*' (e.g. 9999********). A real number must never be"
                        + " written into the policy; the file would become a copy of it",
                "policy.yaml:7:14: a shape is written with digits and '*' only (e.g. 9999********), optionally"
                        + " grouped 4-4-4 with '-' or spaces"), diagnostics(r));
        assertFalse(diagnostics(r).stream().anyMatch(s -> s.contains("5678")), "digits must not be echoed");
    }

    @Test
    void numbersInCommentsAreRejectedToo() {
        LoadResult r = load("version: 1\n# test with 2720 3442 2478 please\ndefault: allow\n");
        assertEquals(List.of("policy.yaml:2:13: a number of 12 or more digits is written here; a policy file must"
                + " never hold a My Number, not even in a comment. To allow-list dummy numbers, write a shape that"
                + " fixes at most 4 digits, e.g. 9999********"), diagnostics(r));
    }

    @Test
    void valuesEchoedInErrorsAreRedacted() {
        LoadResult r = load("version: 1\nname: [x]\nmode: \"123456789012\"\ndefault: allow\n");
        assertTrue(diagnostics(r).contains("policy.yaml:3:7: 'mode' must be one of enforce, audit, found"
                + " '************'"), diagnostics(r).toString());
    }
}
