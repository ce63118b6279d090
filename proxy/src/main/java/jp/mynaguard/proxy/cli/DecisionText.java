package jp.mynaguard.proxy.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.ApprovalSpec;
import jp.mynaguard.policy.rules.Channel;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.Mode;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.policy.rules.Organization;
import jp.mynaguard.policy.rules.SideEffects;
import jp.mynaguard.policy.rules.User;

/**
 * {@code policy test} output for people: the decision first, then why. Findings are shown masked
 * ({@link Finding#masked()}); no digit of a number is ever printed.
 */
final class DecisionText {
    private DecisionText() {
    }

    static void print(PolicyTestResult r, PrintStream out) {
        Decision d = r.decision();
        out.println("Policy:    " + r.policyFile() + describePolicy(r));
        out.println("Message:   " + r.message());
        printEnvelope(r.envelope(), r.policy().organization(), out);
        printFindings(r, out);
        out.println();
        if (d.mode() == Mode.AUDIT) {
            out.println("Decision:  " + d.enforced().action().label().toUpperCase() + "  by "
                    + ruleLabel(d.enforced()));
            out.println("Audit:     rule '" + d.ruleName() + "' matched first but is in audit mode;"
                    + " it would have: " + d.action().label()
                    + (d.approvers().isEmpty() ? "" : " (asking " + String.join(", ", d.approvers()) + ")"));
            printDetails(d.enforced(), out);
        } else {
            out.println("Decision:  " + d.action().label().toUpperCase() + "  by " + ruleLabel(d));
            printDetails(d, out);
        }
        List<Decision.RuleOutcome> misses = d.enforced().whyOthersDidNotMatch();
        if (!misses.isEmpty()) {
            out.println();
            out.println("Rules before it that did not decide:");
            for (Decision.RuleOutcome m : misses) {
                out.println("  " + m.rule() + " (line " + m.location().line() + "): " + m.reason());
            }
        }
    }

    private static String describePolicy(PolicyTestResult r) {
        String name = r.policy().name();
        return (name.isEmpty() ? "" : "  " + name) + "  (version " + r.policy().shortVersion() + ")";
    }

    private static String ruleLabel(Decision d) {
        if (d.isDefault()) {
            return "the default (no rule matched)";
        }
        return "rule '" + d.ruleName() + "' (line " + d.rule().location().line() + ")";
    }

    static void printEnvelope(Envelope e, Organization org, PrintStream out) {
        if (e.channel() == Channel.HTTP) {
            out.println("Upload:    " + e.httpMethod() + " " + e.httpHost() + NumberGuard.redact(e.httpPath())
                    + (org.isInternalDomain(String.valueOf(e.httpHost())) ? " (internal)" : " (external)"));
        } else {
            out.println("Mail:      " + (e.recipients().isEmpty() ? "no recipients" : e.recipients().stream()
                    .map(a -> NumberGuard.redact(a)
                            + (org.isInternalDomain(a.substring(a.lastIndexOf('@') + 1)) ? "" : " (external)"))
                    .collect(Collectors.joining(", "))));
        }
        User u = org.userByLogin(e.authenticatedUser());
        if (u == null) {
            u = org.user(e.authenticatedUser() != null ? e.authenticatedUser() : e.sender());
        }
        String who = e.sender() != null ? e.sender() : e.authenticatedUser() != null ? e.authenticatedUser() : "unknown";
        out.println("Sender:    " + NumberGuard.redact(who) + (e.authenticatedUser() == null ? "" : " (authenticated as "
                + NumberGuard.redact(e.authenticatedUser()) + ")") + (u == null ? "  [not in the directory]"
                : "  [" + u.displayName() + "; groups: " + String.join(", ", u.groups()) + "]"));
        if (!e.attachments().isEmpty()) {
            out.println("Files:     " + e.attachments().stream()
                    .map(a -> NumberGuard.redact(a.name())
                            + (a.contentType().isEmpty() ? "" : " (" + a.contentType() + ")"))
                    .collect(Collectors.joining(", ")));
        }
    }

    private static void printFindings(PolicyTestResult r, PrintStream out) {
        List<Finding> findings = r.scan().findings();
        out.println("Findings:  " + (findings.isEmpty() ? "none" : findings.size() + " distinct number"
                + (findings.size() == 1 ? "" : "s")));
        for (Finding f : findings) {
            out.println("  " + f.type() + " " + f.level() + " " + f.masked() + " at " + NumberGuard.redact(f.location())
                    + (f.occurrences() > 1 ? " (x" + f.occurrences() + ")" : ""));
        }
        List<Unscannable> unscannable = r.scan().unscannable();
        if (!unscannable.isEmpty()) {
            out.println("Unscannable:");
            for (Unscannable u : unscannable) {
                out.println("  " + NumberGuard.redact(u.location()) + ": " + u.reason().label()
                        + (u.detail().isEmpty() ? "" : " (" + NumberGuard.redact(u.detail()) + ")"));
            }
        }
    }

    private static void printDetails(Decision d, PrintStream out) {
        if (!d.note().isEmpty()) {
            out.println("Note:      " + d.note());
        }
        if (d.action() == Action.APPROVE) {
            out.println("Approvers: " + String.join(", ", d.approvers()));
            if (!d.backupApprovers().isEmpty()) {
                out.println("Backups:   " + String.join(", ", d.backupApprovers()));
            }
            ApprovalSpec a = d.approval();
            out.println("Approval:  expires after " + human(a.expireAfter()) + (a.remindBefore().isZero() ? ""
                    : ", reminder " + human(a.remindBefore()) + " before") + ", on expiry: " + a.onExpiry().label());
        }
        if (d.holdDelay() != null) {
            out.println("Hold:      " + human(d.holdDelay()) + " (the sender may cancel), then sent");
        }
        if (d.reason() != null) {
            out.println("Reason:    " + d.reason().ja());
            if (!d.reason().en().equals(d.reason().ja())) {
                out.println("           " + d.reason().en());
            }
        }
        SideEffects e = d.effects();
        if (!e.notifyTargets().isEmpty()) {
            out.println("Notify:    " + e.notifyTargets().stream().map(SideEffects.NotifyTarget::label)
                    .collect(Collectors.joining(", ")));
        }
        if (e.bccWhenExternalAtLeast() > 0) {
            out.println("Bcc:       " + (d.convertToBcc() ? "To/Cc become Bcc" : "no conversion") + " (threshold: "
                    + e.bccWhenExternalAtLeast() + " external recipients)");
        }
        e.addHeaders().forEach((k, v) -> out.println("Header:    " + k + ": " + v));
        if (!e.subjectTag().isEmpty()) {
            out.println("Subject:   tagged " + e.subjectTag());
        }
    }

    static String human(java.time.Duration d) {
        if (d.toDays() > 0 && d.toHours() % 24 == 0) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.toMinutes() % 60 == 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.getSeconds() + "s";
    }
}
