package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jp.mynaguard.policy.rules.Group;
import jp.mynaguard.policy.rules.Organization;

/**
 * What a report to the 個人情報保護委員会 asks for, drafted from the audit trail: per incident
 * (one per reference id) when it was detected, over which channel, who sent it from which
 * department, to whom (inside or outside), how many distinct My Numbers, whether it left the
 * company (allowed, released) or was stopped (blocked, held), by which rule; and in total. Cause,
 * secondary damage, notice to the persons and prevention measures are left for people to write.
 */
public final class IncidentReport {
    /** Whether the data left the company. */
    public enum Fate {
        LEFT_ALLOWED("社外送信（許可）", "left: allowed"),
        LEFT_RELEASED("社外送信（保留後に解放）", "left: released after holding"),
        STOPPED_BLOCKED("停止（拒否）", "stopped: blocked"),
        STOPPED_HELD("停止（保留・隔離中）", "stopped: held or quarantined"),
        NOT_DELIVERED("未送信（一時エラー）", "not delivered (temporary error)");

        public final String ja;
        public final String en;

        Fate(String ja, String en) {
            this.ja = ja;
            this.en = en;
        }

        public boolean left() {
            return this == LEFT_ALLOWED || this == LEFT_RELEASED;
        }
    }

    /** One recipient or destination, and whether it is outside. */
    public record Destination(String address, boolean external) {
    }

    /** One incident. */
    public record Event(String ref, Instant detected, String channel, String sender, String user, List<String> departments,
                        List<Destination> destinations, int myNumbers, Fate fate, String rule, String action,
                        List<String> reasons, Instant releasedAt, String releasedBy) {
    }

    /** Sums over the events. */
    public record Totals(int events, int myNumbers, int left, int stopped, int myNumbersLeft, Map<String, Integer> byChannel,
                         Map<String, Integer> byRule) {
    }

    private final Instant from;
    private final Instant to;
    private final List<Event> events;

    private IncidentReport(Instant from, Instant to, List<Event> events) {
        this.from = from;
        this.to = to;
        this.events = List.copyOf(events);
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public List<Event> events() {
        return events;
    }

    /**
     * Reads the trail for incidents detected in {@code [from, to]}; releases are followed to the
     * end of the files (a roster held on the 30th and released on the 2nd did leave).
     *
     * @param all      every decision with My Numbers, not only those flagged as incidents
     * @param org      the directory, to name departments (group descriptions); may be {@code null}
     */
    public static IncidentReport read(List<Path> files, Instant from, Instant to, boolean all, Organization org)
            throws IOException {
        Map<String, Map<String, Object>> decisions = new LinkedHashMap<>();
        Map<String, Map<String, Object>> releases = new LinkedHashMap<>();
        AuditQuery window = new AuditQuery(from, to, null, null, null, null, null, null);
        AuditQuery.ALL.scan(files, found -> {
            Map<String, Object> r = found.record();
            String type = String.valueOf(r.get("type"));
            String ref = r.get("ref") == null ? null : String.valueOf(r.get("ref"));
            if (ref == null) {
                return;
            }
            boolean inWindow = window.matches(r);
            boolean relevant = Boolean.TRUE.equals(r.get(DecisionRecord.INCIDENT))
                    || all && r.get(DecisionRecord.MY_NUMBERS) instanceof Long n && n > 0;
            if (AuditEvent.DECISION.equals(type) && inWindow && relevant) {
                decisions.putIfAbsent(ref, r);
            } else if (AuditEvent.RELEASE.equals(type)) {
                if (decisions.containsKey(ref) || inWindow && relevant) {
                    releases.putIfAbsent(ref, r);
                }
            }
        });
        List<Event> events = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> d : decisions.entrySet()) {
            events.add(event(d.getValue(), releases.remove(d.getKey()), org));
        }
        for (Map<String, Object> r : releases.values()) {
            events.add(event(r, r, org));
        }
        events.sort((a, b) -> a.detected().compareTo(b.detected()));
        return new IncidentReport(from, to, events);
    }

    private static Event event(Map<String, Object> d, Map<String, Object> release, Organization org) {
        List<Destination> dest = new ArrayList<>();
        List<?> external = d.get(DecisionRecord.EXTERNAL_RECIPIENTS) instanceof List<?> l ? l : List.of();
        if (d.get(DecisionRecord.RECIPIENTS) instanceof List<?> rc) {
            rc.forEach(a -> dest.add(new Destination(String.valueOf(a), external.contains(a))));
        }
        if (d.get(DecisionRecord.HOST) != null) {
            dest.add(new Destination(String.valueOf(d.get(DecisionRecord.HOST)),
                    Boolean.TRUE.equals(d.get(DecisionRecord.EXTERNAL_HOST))));
        }
        String action = text(d.get(DecisionRecord.ACTION));
        Fate fate;
        if (release != null) {
            fate = Fate.LEFT_RELEASED;
        } else if ("block".equals(action)) {
            fate = Fate.STOPPED_BLOCKED;
        } else if ("allow".equals(action)) {
            fate = "not-delivered".equals(d.get(DecisionRecord.OUTCOME)) ? Fate.NOT_DELIVERED : Fate.LEFT_ALLOWED;
        } else {
            fate = Fate.STOPPED_HELD;
        }
        List<String> reasons = new ArrayList<>(strings(d.get(DecisionRecord.INCIDENT_REASONS)));
        if (release != null && release != d) {
            for (String r : strings(release.get(DecisionRecord.INCIDENT_REASONS))) {
                if (!reasons.contains(r)) {
                    reasons.add(r);
                }
            }
        }
        return new Event(text(d.get("ref")), AuditQuery.time(d), text(d.get("channel")), text(d.get(DecisionRecord.SENDER)),
                text(d.get("user")), departments(strings(d.get(DecisionRecord.GROUPS)), org), dest,
                d.get(DecisionRecord.MY_NUMBERS) instanceof Long n ? n.intValue() : 0, fate,
                text(d.get(DecisionRecord.RULE)), action, reasons,
                release == null ? null : AuditQuery.time(release), release == null ? null : text(release.get("user")));
    }

    private static List<String> departments(List<String> groups, Organization org) {
        if (org == null) {
            return groups;
        }
        List<String> out = new ArrayList<>();
        for (String g : groups) {
            Group group = org.group(g);
            out.add(group != null && !group.description().isBlank() ? group.description() + " (" + g + ")" : g);
        }
        return out;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof Collection<?> c) {
            c.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    public Totals totals() {
        int numbers = 0;
        int left = 0;
        int numbersLeft = 0;
        Map<String, Integer> byChannel = new TreeMap<>();
        Map<String, Integer> byRule = new TreeMap<>();
        for (Event e : events) {
            numbers += e.myNumbers();
            if (e.fate().left()) {
                left++;
                numbersLeft += e.myNumbers();
            }
            byChannel.merge(String.valueOf(e.channel()), 1, Integer::sum);
            byRule.merge(String.valueOf(e.rule()), 1, Integer::sum);
        }
        long stopped = events.stream().filter(e -> e.fate() == Fate.STOPPED_BLOCKED || e.fate() == Fate.STOPPED_HELD).count();
        return new Totals(events.size(), numbers, left, (int) stopped, numbersLeft, byChannel, byRule);
    }
}
