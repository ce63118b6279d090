package jp.mynaguard.proxy.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.policy.rules.NumberGuard;

/**
 * The alert mail to the security team, Japanese first, English below: what happened, when, who
 * sent what to whom, how many My Numbers, which rule, and where to look next. Counts, addresses
 * and the reference id only; every value passes {@link NumberGuard#redact}.
 */
final class IncidentMail {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private IncidentMail() {
    }

    static byte[] build(AuditEvent e, String from, String to, String hostname, ZoneId zone) throws IOException {
        Map<String, Object> f = e.fields();
        String ref = text(f.get("ref"));
        try {
            MimeMessage m = new MimeMessage(SESSION);
            m.setFrom(new InternetAddress(from, "Mynaguard", "UTF-8"));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(to));
            m.setSubject("[Mynaguard] インシデント / Incident: " + text(f.get("action")) + " (Ref " + ref + ")", "UTF-8");
            m.setSentDate(Date.from(e.time()));
            m.setHeader("Auto-Submitted", "auto-generated");
            m.setHeader("X-Priority", "1");
            m.setText(body(e, hostname, zone), "UTF-8");
            m.saveChanges();
            m.setHeader("Message-ID", "<incident." + ref + "." + e.time().toEpochMilli() + "@" + hostname + ">");
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | UnsupportedEncodingException ex) {
            throw new IOException("cannot build the incident mail", ex);
        }
    }

    static String body(AuditEvent e, String hostname, ZoneId zone) {
        Map<String, Object> f = e.fields();
        String when = WHEN.format(e.time().atZone(zone));
        String ref = text(f.get("ref"));
        String who = text(f.get("sender")) + (f.get("user") != null ? " (" + text(f.get("user")) + ")" : "");
        String where = f.get("host") != null ? text(f.get("method")) + " " + text(f.get("host"))
                : list(f.get("recipients"));
        String external = f.get("host") != null ? (Boolean.TRUE.equals(f.get("externalHost")) ? "1" : "0")
                : String.valueOf(size(f.get("externalRecipients")));
        String reasons = list(f.get("incidentReasons"));
        StringBuilder sb = new StringBuilder();
        sb.append("個人番号の取扱いに関するインシデントの可能性があります。\n\n");
        sb.append("参照番号:       ").append(ref).append('\n');
        sb.append("検知日時:       ").append(when).append('\n');
        sb.append("経路:           ").append(text(f.get("channel"))).append(" (").append(e.type()).append(")\n");
        sb.append("送信者:         ").append(who).append('\n');
        sb.append("部署:           ").append(list(f.get("groups"))).append('\n');
        sb.append("宛先:           ").append(where).append('\n');
        sb.append("うち社外:       ").append(external).append('\n');
        sb.append("マイナンバー数: ").append(text(f.get("myNumbers"))).append(" (重複を除く)\n");
        sb.append("検出:           ").append(AuditText.findings(f.get("findings"))).append('\n');
        sb.append("ルール:         ").append(text(f.get("rule"))).append('\n');
        sb.append("処置:           ").append(text(f.get("action"))).append(" / ").append(text(f.get("outcome"))).append('\n');
        sb.append("理由:           ").append(reasons).append("\n\n");
        sb.append("確認方法: mynaguard audit search --ref ").append(ref).append('\n');
        sb.append("報告書の下書き: mynaguard incident report --from <日付> --to <日付>\n");
        sb.append("このメールに個人番号は含まれていません。\n\n");
        sb.append("----\n");
        sb.append("A possible incident involving My Numbers (個人番号).\n\n");
        sb.append("Reference:   ").append(ref).append('\n');
        sb.append("Detected:    ").append(when).append('\n');
        sb.append("Channel:     ").append(text(f.get("channel"))).append(" (").append(e.type()).append(")\n");
        sb.append("Sender:      ").append(who).append('\n');
        sb.append("Department:  ").append(list(f.get("groups"))).append('\n');
        sb.append("To:          ").append(where).append('\n');
        sb.append("External:    ").append(external).append('\n');
        sb.append("My Numbers:  ").append(text(f.get("myNumbers"))).append(" (distinct)\n");
        sb.append("Findings:    ").append(AuditText.findings(f.get("findings"))).append('\n');
        sb.append("Rule:        ").append(text(f.get("rule"))).append('\n');
        sb.append("Action:      ").append(text(f.get("action"))).append(" / ").append(text(f.get("outcome"))).append('\n');
        sb.append("Why:         ").append(reasons).append("\n\n");
        sb.append("Look it up:  mynaguard audit search --ref ").append(ref).append('\n');
        sb.append("Report:      mynaguard incident report --from <date> --to <date>\n");
        sb.append("This mail holds no My Number.\n");
        sb.append("-- Mynaguard ").append(hostname).append('\n');
        return sb.toString();
    }

    private static String text(Object o) {
        return o == null ? "-" : NumberGuard.redact(String.valueOf(o));
    }

    private static String list(Object o) {
        if (o instanceof Collection<?> c) {
            return c.isEmpty() ? "-" : NumberGuard.redact(String.join(", ", c.stream().map(String::valueOf).toList()));
        }
        return text(o);
    }

    private static int size(Object o) {
        return o instanceof Collection<?> c ? c.size() : 0;
    }
}
