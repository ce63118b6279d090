package jp.mynaguard.proxy.audit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** Short human descriptions of records, for the search table. Counts and masked locations only. */
public final class AuditText {
    /** Fields shown in their own columns, or not worth a line. */
    private static final Set<String> SHOWN = Set.of("seq", "time", "type", "prev", "ref", "user", "action", "rule",
            "channel", "sig");

    private AuditText() {
    }

    /** What happened, in one line. */
    public static String details(Map<String, Object> r) {
        String type = String.valueOf(r.get("type"));
        if (AuditEvent.DECISION.equals(type)) {
            return decision(r);
        }
        StringJoiner j = new StringJoiner(" ");
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (!SHOWN.contains(e.getKey()) && e.getValue() != null) {
                j.add(e.getKey() + "=" + compact(e.getValue()));
            }
        }
        return j.toString();
    }

    private static String decision(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        if (r.get("sender") != null) {
            sb.append(r.get("sender"));
        }
        if (r.get("recipients") instanceof List<?> rc) {
            Object ext = r.get("externalRecipients");
            int external = ext instanceof List<?> e ? e.size() : 0;
            sb.append(" -> ").append(rc.size()).append(" rcpt");
            if (external > 0) {
                sb.append(" (").append(external).append(" external)");
            }
        }
        if (r.get("host") != null) {
            sb.append(sb.length() > 0 ? " " : "").append("-> ").append(r.get("method") == null ? "" : r.get("method") + " ")
                    .append(r.get("host"));
        }
        if (r.get("myNumbers") instanceof Long n && n > 0) {
            sb.append("; ").append(n).append(" My Number").append(n == 1 ? "" : "s");
        }
        String findings = findings(r.get("findings"));
        if (!findings.isEmpty()) {
            sb.append("; ").append(findings);
        }
        if (r.get("unscannable") instanceof List<?> u && !u.isEmpty()) {
            StringJoiner reasons = new StringJoiner(",");
            u.forEach(o -> reasons.add(o instanceof Map<?, ?> m ? String.valueOf(m.get("reason")) : String.valueOf(o)));
            sb.append("; unscannable: ").append(reasons);
        }
        if (r.get("auditRule") != null) {
            sb.append("; audit rule ").append(r.get("auditRule")).append(" would ").append(r.get("auditAction"));
        }
        if (Boolean.TRUE.equals(r.get("incident"))) {
            sb.append("; INCIDENT");
        }
        if (r.get("outcome") != null) {
            sb.append("; ").append(r.get("outcome"));
        }
        return sb.toString().strip();
    }

    /** {@code {"MY_NUMBER":{"HIGH":2}}} to {@code MY_NUMBER HIGH x2}. */
    public static String findings(Object f) {
        if (!(f instanceof Map<?, ?> byType)) {
            return "";
        }
        StringJoiner j = new StringJoiner(", ");
        byType.forEach((type, levels) -> {
            if (levels instanceof Map<?, ?> byLevel) {
                byLevel.forEach((level, n) -> j.add(type + " " + level + " x" + n));
            }
        });
        return j.toString();
    }

    private static String compact(Object v) {
        if (v instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(",", "[", "]");
            c.forEach(o -> j.add(compact(o)));
            return j.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(",", "{", "}");
            m.forEach((k, o) -> j.add(k + ":" + compact(o)));
            return j.toString();
        }
        String s = String.valueOf(v);
        return s.indexOf(' ') >= 0 ? "\"" + s + "\"" : s;
    }

    /** Terminal columns a string takes: East Asian wide characters count two. */
    public static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            w += wide(cp) ? 2 : 1;
        }
        return w;
    }

    private static boolean wide(int cp) {
        return cp >= 0x1100 && (cp <= 0x115f || cp >= 0x2e80 && cp <= 0xa4cf || cp >= 0xac00 && cp <= 0xd7a3
                || cp >= 0xf900 && cp <= 0xfaff || cp >= 0xfe30 && cp <= 0xfe4f || cp >= 0xff00 && cp <= 0xff60
                || cp >= 0xffe0 && cp <= 0xffe6 || cp >= 0x20000 && cp <= 0x3fffd);
    }

    /** {@code s} padded with spaces to {@code columns}. */
    public static String pad(String s, int columns) {
        int w = width(s);
        return w >= columns ? s : s + " ".repeat(columns - w);
    }
}
