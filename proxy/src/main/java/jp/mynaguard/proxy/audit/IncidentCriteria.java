package jp.mynaguard.proxy.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.SideEffects;

/**
 * Which decisions and releases are incidents, to be told to the security team at once. A rule's
 * {@code incident: true|false} decides for its decisions; without it, the built-in criteria:
 * <ul>
 * <li>{@code high-external}: a HIGH My Number finding in something addressed outside;</li>
 * <li>{@code bulk}: {@link AuditLimits#BULK_NUMBERS} or more distinct My Numbers at once;</li>
 * <li>{@code unscannable-archive-external}: an archive that could not be inspected, addressed outside;</li>
 * <li>{@code release-external}: a held message with My Numbers released to outside.</li>
 * </ul>
 * Whether it was stopped or not does not matter: a blocked roster to outside is still a near miss
 * the team wants to know about now.
 */
public final class IncidentCriteria {
    /** Names of archive files, as they appear at the end of a location's path segment. */
    private static final List<String> ARCHIVES = List.of(".zip", ".7z", ".rar", ".lzh", ".lha", ".tar", ".gz", ".tgz",
            ".bz2", ".xz", ".cab");

    private IncidentCriteria() {
    }

    /**
     * Reasons a decision is an incident; empty when it is not.
     *
     * @param external whether anything was addressed outside (an external recipient or host)
     */
    static List<String> ofDecision(Decision enforced, boolean external, Collection<Finding> findings,
                                   Collection<Unscannable> unscannable, int myNumbers) {
        SideEffects.Incident flag = enforced.effects().incident();
        List<String> reasons = new ArrayList<>();
        if (flag == SideEffects.Incident.NO) {
            return reasons;
        }
        if (flag == SideEffects.Incident.YES) {
            reasons.add("rule");
        }
        if (external && findings.stream().anyMatch(f -> f.type() == FindingType.MY_NUMBER && f.level() == Level.HIGH
                && enforced.policy().detector().counts(f))) {
            reasons.add("high-external");
        }
        if (myNumbers >= AuditLimits.BULK_NUMBERS) {
            reasons.add("bulk");
        }
        if (external && unscannable.stream().anyMatch(u -> isArchive(u.location()))) {
            reasons.add("unscannable-archive-external");
        }
        return reasons;
    }

    static boolean isArchive(String location) {
        String l = location.toLowerCase(Locale.ROOT);
        for (String a : ARCHIVES) {
            int i = l.indexOf(a);
            while (i >= 0) {
                int end = i + a.length();
                if (end == l.length() || "/!:;, )".indexOf(l.charAt(end)) >= 0) {
                    return true;
                }
                i = l.indexOf(a, i + 1);
            }
        }
        return false;
    }

    /**
     * Whether a recorded event is an incident: a decision that says so, or a release of My Numbers
     * to outside (a release record with {@code myNumbers > 0} and an external recipient or host).
     * An event may also say {@code incident: true} itself.
     */
    public static boolean isIncident(AuditEvent e) {
        Map<String, Object> f = e.fields();
        if (f.get(DecisionRecord.INCIDENT) instanceof Boolean b) {
            return b;
        }
        if (AuditEvent.RELEASE.equals(e.type())) {
            boolean external = f.get(DecisionRecord.EXTERNAL_RECIPIENTS) instanceof Collection<?> c && !c.isEmpty()
                    || Boolean.TRUE.equals(f.get(DecisionRecord.EXTERNAL_HOST));
            return external && f.get(DecisionRecord.MY_NUMBERS) instanceof Number n && n.longValue() > 0;
        }
        return false;
    }
}
