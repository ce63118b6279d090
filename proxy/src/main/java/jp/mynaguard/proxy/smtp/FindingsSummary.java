package jp.mynaguard.proxy.smtp;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.policy.scan.ScanReport;

/**
 * A one-line, number-free description of a scan for the hold store and the log, e.g.
 * {@code MY_NUMBER HIGH x3 (body, attachment:名簿.csv); unscannable: encrypted (attachment:a.zip)}.
 * Counts and locations only; locations are masked by the detector and redacted again here.
 */
public final class FindingsSummary {
    private static final int MAX_LOCATIONS = 3;

    private FindingsSummary() {
    }

    public static String of(ScanReport report) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Set<String>> where = new LinkedHashMap<>();
        for (Finding f : report.findings()) {
            String key = f.type() + " " + f.level();
            counts.merge(key, 1, Integer::sum);
            where.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(NumberGuard.redact(f.location()));
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(e.getKey()).append(" x").append(e.getValue());
            locations(where.get(e.getKey()), sb);
        }
        Map<String, Set<String>> unscannable = new LinkedHashMap<>();
        for (Unscannable u : report.unscannable()) {
            unscannable.computeIfAbsent(u.reason().label(), k -> new LinkedHashSet<>()).add(NumberGuard.redact(u.location()));
        }
        for (Map.Entry<String, Set<String>> e : unscannable.entrySet()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append("unscannable: ").append(e.getKey());
            locations(e.getValue(), sb);
        }
        return sb.length() == 0 ? "no findings" : sb.toString();
    }

    private static void locations(Set<String> locations, StringBuilder sb) {
        sb.append(" (");
        int n = 0;
        for (String l : locations) {
            if (n == MAX_LOCATIONS) {
                sb.append(", …");
                break;
            }
            sb.append(n++ == 0 ? "" : ", ").append(l.isEmpty() ? "message" : l);
        }
        sb.append(')');
    }
}
