package jp.mynaguard.proxy.audit;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.mynaguard.policy.rules.Organization;
import jp.mynaguard.proxy.hold.HeldItem;

/**
 * The audit record of a held item's release (or bounce), for the workflow that moves held items.
 * It carries what the incident criteria and the incident report need: the recipients (and which
 * are outside) and how many My Numbers the item holds, taken from the hold store's findings
 * summary (every My Number finding counts there, whatever its level: a release errs on the side
 * of telling).
 *
 * <pre>{@code
 * audit.record(ReleaseRecord.of(AuditEvent.RELEASE, item, actor.login(), policy.organization())
 *         .field("outcome", "delivered").build());
 * }</pre>
 */
public final class ReleaseRecord {
    private static final Pattern MY_NUMBER_COUNT = Pattern.compile("\\bMY_NUMBER(?:_TRUNCATED)? (?:LOW|MEDIUM|HIGH) x(\\d+)");

    private ReleaseRecord() {
    }

    /**
     * @param type {@link AuditEvent#RELEASE} or {@link AuditEvent#BOUNCE}
     */
    public static AuditEvent.Builder of(String type, HeldItem item, String actor, Organization org) {
        List<String> external = item.recipients().stream().filter(r -> !DecisionRecord.internal(org, r)).toList();
        int myNumbers = myNumbers(item.findingsSummary());
        AuditEvent.Builder b = AuditEvent.of(type).channel(item.channel()).ref(item.referenceId()).user(actor)
                .field(DecisionRecord.SENDER, item.sender())
                .field(DecisionRecord.RECIPIENTS, item.recipients())
                .field(DecisionRecord.EXTERNAL_RECIPIENTS, external)
                .field(DecisionRecord.RULE, item.rule())
                .field("kind", item.kind().name().toLowerCase(java.util.Locale.ROOT))
                .field(DecisionRecord.POLICY_VERSION, item.policyVersion())
                .field(DecisionRecord.MY_NUMBERS, myNumbers)
                .field("findingsSummary", item.findingsSummary());
        boolean incident = AuditEvent.RELEASE.equals(type) && !external.isEmpty() && myNumbers > 0;
        b.field(DecisionRecord.INCIDENT, incident);
        if (incident) {
            b.field(DecisionRecord.INCIDENT_REASONS, List.of("release-external"));
        }
        return b;
    }

    /** Distinct My Numbers in a findings summary such as {@code MY_NUMBER HIGH x3 (body); MY_NUMBER LOW x1 (...)}. */
    static int myNumbers(String summary) {
        if (summary == null) {
            return 0;
        }
        Matcher m = MY_NUMBER_COUNT.matcher(summary);
        int n = 0;
        while (m.find()) {
            n += Integer.parseInt(m.group(1));
        }
        return n;
    }
}
