package jp.mynaguard.proxy.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The incident report as Markdown (to edit and attach), CSV (for a spreadsheet; UTF-8 with BOM so
 * Excel reads the Japanese) or JSON. Japanese headings first, English alongside.
 */
public enum IncidentReportFormat {
    MD, CSV, JSON;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");
    /** The items a report describes, with the parts people still have to write. */
    private static final String[][] TO_WRITE = {
        {"発生原因", "Cause"},
        {"二次被害またはそのおそれの有無及びその内容", "Secondary damage (or its risk) and what it is"},
        {"本人への対応（通知）の実施状況", "Notice to the persons concerned"},
        {"再発防止のための措置", "Measures to prevent a recurrence"},
        {"公表の実施状況", "Public announcement"},
    };

    /** The incident criteria in words, Japanese first. */
    private static final Map<String, String> REASONS = Map.of(
            "rule", "ルールで指定 / the rule says so",
            "high-external", "社外宛ての確度の高い検出 / HIGH finding addressed outside",
            "bulk", "大量の個人番号 / many My Numbers at once",
            "unscannable-archive-external", "検査できない圧縮ファイルを社外へ / unscannable archive addressed outside",
            "release-external", "保留後に社外へ解放 / released to outside after holding");

    private static String reasons(IncidentReport.Event e) {
        return or(e.reasons().stream().map(r -> REASONS.getOrDefault(r, r) + " (" + r + ")")
                .collect(Collectors.joining("; ")));
    }

    public String render(IncidentReport r, ZoneId zone) {
        return switch (this) {
            case MD -> markdown(r, zone);
            case CSV -> csv(r, zone);
            case JSON -> json(r, zone);
        };
    }

    private static String when(Instant t, ZoneId zone) {
        return t == null ? "-" : WHEN.format(t.atZone(zone));
    }

    private static String destinations(IncidentReport.Event e, boolean ja) {
        return e.destinations().stream()
                .map(d -> d.address() + (ja ? (d.external() ? "（社外）" : "（社内）") : d.external() ? " (external)" : " (internal)"))
                .collect(Collectors.joining(", "));
    }

    private static String or(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String markdown(IncidentReport r, ZoneId zone) {
        IncidentReport.Totals t = r.totals();
        StringBuilder sb = new StringBuilder();
        sb.append("# 個人番号の漏えい等事案 報告書（下書き） / My Number incident report (draft)\n\n");
        sb.append("対象期間 / Period: ").append(when(r.from(), zone)).append(" 〜 ").append(when(r.to(), zone)).append("\n\n");
        sb.append("Mynaguard の監査証跡から作成。個人番号そのものは含みません（件数のみ）。\n");
        sb.append("Drafted from the Mynaguard audit trail. It holds no My Number, only counts.\n\n");
        sb.append("## 概要 / Summary\n\n");
        sb.append("| 項目 / Item | 値 / Value |\n|---|---|\n");
        sb.append("| 事案数 / Incidents | ").append(t.events()).append(" |\n");
        sb.append("| 個人番号の数（メッセージごとの重複除外の合計） / My Numbers (distinct per message, summed) | ")
                .append(t.myNumbers()).append(" |\n");
        sb.append("| 社外に出たもの / Left the company | ").append(t.left()).append("（個人番号 ").append(t.myNumbersLeft())
                .append(" / My Numbers ").append(t.myNumbersLeft()).append("） |\n");
        sb.append("| 停止したもの / Stopped | ").append(t.stopped()).append(" |\n");
        sb.append("| 経路別 / By channel | ").append(t.byChannel()).append(" |\n");
        sb.append("| ルール別 / By rule | ").append(t.byRule()).append(" |\n\n");
        int i = 0;
        for (IncidentReport.Event e : r.events()) {
            sb.append("## 事案 ").append(++i).append(" / Incident ").append(i).append(": 参照番号 / ref ").append(e.ref())
                    .append("\n\n");
            sb.append("| 項目 / Item | 内容 / Details |\n|---|---|\n");
            row(sb, "検知日時 / Detected", when(e.detected(), zone));
            row(sb, "経路 / Channel", or(e.channel()));
            row(sb, "送信者 / Sender", or(e.sender()) + (e.user() == null ? "" : " (" + e.user() + ")"));
            row(sb, "部署 / Department", or(String.join(", ", e.departments())));
            row(sb, "宛先・送信先 / Recipients or destination", or(destinations(e, true)) + "<br>" + or(destinations(e, false)));
            row(sb, "個人番号の数（重複除外） / My Numbers (distinct)", Integer.toString(e.myNumbers()));
            row(sb, "社外に出たか / Left the company?", e.fate().ja + " / " + e.fate().en
                    + (e.releasedAt() == null ? "" : "（" + when(e.releasedAt(), zone) + " " + or(e.releasedBy()) + "）"));
            row(sb, "適用ルール / Rule", or(e.rule()) + " (" + or(e.action()) + ")");
            row(sb, "検知理由 / Why it is an incident", reasons(e));
            sb.append('\n');
            for (String[] item : TO_WRITE) {
                sb.append("### ").append(item[0]).append(" / ").append(item[1]).append("\n\n");
                sb.append("（記入してください / to be filled in）\n\n");
            }
        }
        if (r.events().isEmpty()) {
            sb.append("この期間の事案はありません。 / No incidents in this period.\n");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String item, String value) {
        sb.append("| ").append(item).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    private static String csv(IncidentReport r, ZoneId zone) {
        List<String> header = new ArrayList<>(List.of("参照番号 ref", "検知日時 detected", "経路 channel", "送信者 sender",
                "利用者 user", "部署 department", "宛先 recipients", "社外宛先数 external", "個人番号の数 my_numbers",
                "結果 fate", "社外に出たか left", "ルール rule", "処置 action", "検知理由 reasons", "解放日時 released_at",
                "解放者 released_by"));
        for (String[] item : TO_WRITE) {
            header.add(item[0] + " " + item[1].toLowerCase(Locale.ROOT).replace(' ', '_'));
        }
        StringBuilder sb = new StringBuilder("\uFEFF");
        line(sb, header);
        for (IncidentReport.Event e : r.events()) {
            List<String> row = new ArrayList<>(List.of(e.ref(), when(e.detected(), zone), or(e.channel()), or(e.sender()),
                    or(e.user()), String.join(" ", e.departments()), destinations(e, false),
                    Long.toString(e.destinations().stream().filter(IncidentReport.Destination::external).count()),
                    Integer.toString(e.myNumbers()), e.fate().ja + " / " + e.fate().en, e.fate().left() ? "yes" : "no",
                    or(e.rule()), or(e.action()), String.join(" ", e.reasons()), when(e.releasedAt(), zone),
                    or(e.releasedBy())));
            for (int k = 0; k < TO_WRITE.length; k++) {
                row.add("");
            }
            line(sb, row);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        sb.append(cells.stream().map(IncidentReportFormat::cell).collect(Collectors.joining(","))).append("\r\n");
    }

    /** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
    private static String cell(String s) {
        String v = s == null ? "" : s;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String json(IncidentReport r, ZoneId zone) {
        IncidentReport.Totals t = r.totals();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", "mynaguard.incident-report");
        root.put("from", r.from() == null ? null : r.from().toString());
        root.put("to", r.to() == null ? null : r.to().toString());
        root.put("zone", zone.getId());
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("incidents", t.events());
        totals.put("myNumbers", t.myNumbers());
        totals.put("left", t.left());
        totals.put("myNumbersLeft", t.myNumbersLeft());
        totals.put("stopped", t.stopped());
        totals.put("byChannel", t.byChannel());
        totals.put("byRule", t.byRule());
        root.put("totals", totals);
        List<Map<String, Object>> events = new ArrayList<>();
        for (IncidentReport.Event e : r.events()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ref", e.ref());
            m.put("detected", e.detected() == null ? null : e.detected().toString());
            m.put("channel", e.channel());
            m.put("sender", e.sender());
            m.put("user", e.user());
            m.put("departments", e.departments());
            List<Map<String, Object>> dest = new ArrayList<>();
            for (IncidentReport.Destination d : e.destinations()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("address", d.address());
                x.put("external", d.external());
                dest.add(x);
            }
            m.put("destinations", dest);
            m.put("myNumbers", e.myNumbers());
            m.put("fate", e.fate().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            m.put("left", e.fate().left());
            m.put("rule", e.rule());
            m.put("action", e.action());
            m.put("reasons", e.reasons());
            m.put("releasedAt", e.releasedAt() == null ? null : e.releasedAt().toString());
            m.put("releasedBy", e.releasedBy());
            Map<String, Object> toWrite = new LinkedHashMap<>();
            toWrite.put("cause", "");
            toWrite.put("secondaryDamage", "");
            toWrite.put("noticeToPersons", "");
            toWrite.put("preventionMeasures", "");
            toWrite.put("publicAnnouncement", "");
            m.put("toWrite", toWrite);
            events.add(m);
        }
        root.put("events", events);
        return new String(AuditJson.object(root), StandardCharsets.UTF_8) + "\n";
    }
}
