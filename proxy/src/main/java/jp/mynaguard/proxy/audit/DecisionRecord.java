package jp.mynaguard.proxy.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.Channel;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.Mode;
import jp.mynaguard.policy.rules.Organization;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.rules.User;
import jp.mynaguard.policy.scan.ScanReport;

/**
 * The audit record of one decision, for every channel: who sent what kind of thing to whom, what
 * was found (counts by type and level, masked locations, unscannable reasons), which rule decided
 * what, under which policy version, and what became of it. It carries everything the policy
 * engine looks at (the envelope and the finding counts) so {@code policy replay} can decide again,
 * and the distinct number of My Numbers for the incident report. Never content, never a digit.
 *
 * <pre>{@code
 * audit.record(DecisionRecord.of(ref, now, envelope, decision, scan).outcome("refused", 550).build());
 * }</pre>
 */
public final class DecisionRecord {
    /** Field names, shared with the readers (replay, incident report). */
    static final String SENDER = "sender";
    static final String GROUPS = "groups";
    static final String RECIPIENTS = "recipients";
    public static final String EXTERNAL_RECIPIENTS = "externalRecipients";
    static final String HOST = "host";
    static final String EXTERNAL_HOST = "externalHost";
    static final String METHOD = "method";
    static final String PATH = "path";
    static final String SIZE = "size";
    static final String ATTACHMENTS = "attachments";
    static final String RULE = "rule";
    static final String ACTION = "action";
    static final String MODE = "mode";
    static final String AUDIT_RULE = "auditRule";
    static final String AUDIT_ACTION = "auditAction";
    static final String POLICY_VERSION = "policyVersion";
    static final String FINDINGS = "findings";
    static final String ALLOW_LISTED = "allowListed";
    public static final String MY_NUMBERS = "myNumbers";
    static final String LOCATIONS = "locations";
    static final String UNSCANNABLE = "unscannable";
    static final String OUTCOME = "outcome";
    static final String INCIDENT = "incident";
    static final String INCIDENT_REASONS = "incidentReasons";

    private DecisionRecord() {
    }

    /**
     * A record of {@code decision} (as the engine returned it: for an audit-mode rule that matched
     * first, its {@link Decision#enforced()} is what was done).
     */
    public static AuditEvent.Builder of(String ref, Instant time, Envelope envelope, Decision decision, ScanReport scan) {
        Objects.requireNonNull(envelope, "envelope");
        Policy policy = decision.policy();
        Organization org = policy.organization();
        Decision done = decision.enforced();
        AuditEvent.Builder b = AuditEvent.of(AuditEvent.DECISION).time(time)
                .channel(envelope.channel().name().toLowerCase(Locale.ROOT)).ref(ref)
                .user(envelope.authenticatedUser());
        b.field(SENDER, envelope.sender());
        User principal = principal(org, envelope);
        if (principal != null && !principal.groups().isEmpty()) {
            b.field(GROUPS, principal.groups());
        }
        if (envelope.channel() == Channel.SMTP) {
            b.field(RECIPIENTS, envelope.recipients());
            b.field(EXTERNAL_RECIPIENTS, envelope.recipients().stream().filter(r -> !internal(org, r)).toList());
        } else {
            b.field(HOST, envelope.httpHost()).field(METHOD, envelope.httpMethod()).field(PATH, envelope.httpPath());
            b.field(EXTERNAL_HOST, envelope.httpHost() != null && !org.isInternalDomain(envelope.httpHost()));
        }
        b.field(SIZE, envelope.size());
        if (!envelope.attachments().isEmpty()) {
            List<Map<String, Object>> files = new ArrayList<>();
            for (Envelope.Attachment a : envelope.attachments()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("name", a.name());
                f.put("type", a.contentType());
                files.add(f);
            }
            b.field(ATTACHMENTS, files);
        }
        b.field(RULE, done.ruleName()).action(done.action().label()).field(MODE, decision.mode().label());
        if (decision.mode() == Mode.AUDIT) {
            b.field(AUDIT_RULE, decision.ruleName()).field(AUDIT_ACTION, decision.action().label());
        }
        if (!done.note().isEmpty()) {
            b.field("note", done.note());
        }
        if (!done.approvers().isEmpty()) {
            b.field("approvers", done.approvers());
        }
        b.field(POLICY_VERSION, done.policyVersion());
        int myNumbers = findings(b, policy, scan);
        boolean external = envelope.channel() == Channel.SMTP
                ? envelope.recipients().stream().anyMatch(r -> !internal(org, r))
                : envelope.httpHost() != null && !org.isInternalDomain(envelope.httpHost());
        List<String> incident = IncidentCriteria.ofDecision(done, external, scan.findings(), scan.unscannable(), myNumbers);
        b.field(INCIDENT, !incident.isEmpty());
        if (!incident.isEmpty()) {
            b.field(INCIDENT_REASONS, incident);
        }
        return b;
    }

    /** Adds the finding fields; returns the distinct My Numbers that count. */
    private static int findings(AuditEvent.Builder b, Policy policy, ScanReport scan) {
        Map<String, Map<String, Integer>> all = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> allowListed = new LinkedHashMap<>();
        Set<String> locations = new LinkedHashSet<>();
        int myNumbers = 0;
        for (Finding f : scan.findings()) {
            count(all, f);
            boolean counts = policy.detector().counts(f);
            if (!counts && f.level().atLeast(policy.detector().minLevel())) {
                count(allowListed, f);
            }
            if (counts && (f.type() == FindingType.MY_NUMBER || f.type() == FindingType.MY_NUMBER_TRUNCATED)) {
                myNumbers++;
            }
            if (locations.size() < AuditLimits.MAX_LOCATIONS) {
                locations.add(f.location().isEmpty() ? "message" : f.location());
            }
        }
        if (!all.isEmpty()) {
            b.field(FINDINGS, all);
        }
        if (!allowListed.isEmpty()) {
            b.field(ALLOW_LISTED, allowListed);
        }
        b.field(MY_NUMBERS, myNumbers);
        if (!locations.isEmpty()) {
            b.field(LOCATIONS, List.copyOf(locations));
        }
        if (!scan.unscannable().isEmpty()) {
            List<Map<String, Object>> u = new ArrayList<>();
            Set<String> reasons = new LinkedHashSet<>();
            for (Unscannable x : scan.unscannable()) {
                // Every reason is kept (replay decides on them); further locations only up to the limit.
                if (reasons.add(x.reason().label()) || u.size() < AuditLimits.MAX_LOCATIONS) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("reason", x.reason().label());
                    m.put("location", x.location().isEmpty() ? "message" : x.location());
                    u.add(m);
                }
            }
            b.field(UNSCANNABLE, u);
        }
        return myNumbers;
    }

    private static void count(Map<String, Map<String, Integer>> m, Finding f) {
        m.computeIfAbsent(f.type().name(), k -> new LinkedHashMap<>()).merge(f.level().name(), 1, Integer::sum);
    }

    /** The directory user who sends: by login, then by address (as the engine finds them). */
    static User principal(Organization org, Envelope e) {
        User u = null;
        if (e.authenticatedUser() != null) {
            u = org.userByLogin(e.authenticatedUser());
            if (u == null) {
                u = org.user(e.authenticatedUser());
            }
        }
        return u != null ? u : e.sender() == null ? null : org.user(e.sender());
    }

    static boolean internal(Organization org, String address) {
        int at = address.lastIndexOf('@');
        return org.isInternalDomain(at < 0 ? address : address.substring(at + 1));
    }
}
