package jp.mynaguard.proxy.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.LocalizedText;
import jp.mynaguard.policy.rules.NumberGuard;

/**
 * The notice mail about a stopped or held message, in Japanese and English: what happened, to
 * which recipients, by which rule and why, what was found where (masked: no digit of a number is
 * ever in it), and what to do. One flavour for the sender, one for the security team.
 */
final class SenderNotice {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    /** Who reads it. */
    enum Audience { SENDER, SECURITY }

    /**
     * Everything a notice says.
     *
     * @param action     the enforced action (never ALLOW)
     * @param reason     the rule's text for senders, or {@code null} for the built-in one
     * @param holdDelay  for HOLD: how long until it goes out by itself
     * @param approvers  for APPROVE: who is asked
     */
    record Facts(String referenceId, Action action, String rule, LocalizedText reason, List<Finding> findings,
                 List<Unscannable> unscannable, String sender, List<String> recipients, Instant receivedAt,
                 ZoneId zone, Duration holdDelay, List<String> approvers) {
    }

    private SenderNotice() {
    }

    static byte[] build(Facts f, Audience audience, String from, String to, String hostname) throws IOException {
        try {
            MimeMessage m = new MimeMessage(SESSION);
            m.setFrom(new InternetAddress(from, "Mynaguard", "UTF-8"));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(to));
            m.setSubject(subject(f, audience), "UTF-8");
            m.setSentDate(Date.from(f.receivedAt()));
            // RFC 3834: an automatic message; auto-responders must not answer it.
            m.setHeader("Auto-Submitted", "auto-generated");
            m.setText(body(f, audience), "UTF-8");
            m.saveChanges();
            m.setHeader("Message-ID", "<notice." + f.referenceId() + "." + audience.name().toLowerCase(java.util.Locale.ROOT)
                    + "@" + hostname + ">");
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IOException("cannot build the notice", e);
        }
    }

    static String subject(Facts f, Audience audience) {
        String ref = " (Ref " + f.referenceId() + ")";
        if (audience == Audience.SECURITY) {
            return "[Mynaguard] " + f.action().label() + ": " + NumberGuard.redact(nullToEmpty(f.sender())) + ref;
        }
        return switch (f.action()) {
            case BLOCK -> "[Mynaguard] 送信を停止しました / Your message was not sent" + ref;
            case QUARANTINE -> "[Mynaguard] 確認のため保留しました / Your message is held for review" + ref;
            case HOLD -> "[Mynaguard] 一時保留しました / Your message is held briefly before sending" + ref;
            case APPROVE -> "[Mynaguard] 承認待ちです / Your message is waiting for approval" + ref;
            default -> "[Mynaguard] " + f.action().label() + ref;
        };
    }

    static String body(Facts f, Audience audience) {
        StringBuilder sb = new StringBuilder();
        String when = WHEN.format(f.receivedAt().atZone(f.zone()));
        String to = f.recipients().stream().map(NumberGuard::redact).collect(Collectors.joining(", "));
        String sender = NumberGuard.redact(nullToEmpty(f.sender()));
        sb.append("このメールは Mynaguard（個人番号の持ち出し防止ゲートウェイ）が自動で送信しています。\n\n");
        sb.append(audience == Audience.SENDER ? whatHappenedJa(f) : "次のメールを「" + f.action().label() + "」としました。")
                .append("\n\n");
        sb.append("  送信者:   ").append(sender).append('\n');
        sb.append("  日時:     ").append(when).append('\n');
        sb.append("  宛先:     ").append(to).append('\n');
        sb.append("  参照番号: ").append(f.referenceId()).append('\n');
        sb.append("  ルール:   ").append(f.rule()).append('\n');
        if (f.reason() != null) {
            sb.append("  理由:     ").append(f.reason().ja()).append('\n');
        }
        sb.append("\n検出内容（番号は伏せています）:\n");
        findings(f, sb, true);
        if (audience == Audience.SENDER) {
            sb.append("\n対処方法:\n  ").append(whatToDoJa(f)).append('\n');
        }
        sb.append("\n---------------------------------------------------------------\n\n");
        sb.append("This message was sent automatically by Mynaguard, the gateway that keeps My Numbers\n"
                + "(individual numbers) from leaving the organisation.\n\n");
        sb.append(audience == Audience.SENDER ? whatHappenedEn(f) : "The message below was handled as '"
                + f.action().label() + "'.").append("\n\n");
        sb.append("  Sender:     ").append(sender).append('\n');
        sb.append("  Received:   ").append(when).append('\n');
        sb.append("  Recipients: ").append(to).append('\n');
        sb.append("  Reference:  ").append(f.referenceId()).append('\n');
        sb.append("  Rule:       ").append(f.rule()).append('\n');
        if (f.reason() != null) {
            sb.append("  Reason:     ").append(f.reason().en()).append('\n');
        }
        sb.append("\nWhat was found (numbers masked):\n");
        findings(f, sb, false);
        if (audience == Audience.SENDER) {
            sb.append("\nWhat to do:\n  ").append(whatToDoEn(f)).append('\n');
        }
        return sb.toString();
    }

    private static void findings(Facts f, StringBuilder sb, boolean ja) {
        if (f.findings().isEmpty() && f.unscannable().isEmpty()) {
            sb.append(ja ? "  （検出なし）\n" : "  (nothing)\n");
        }
        for (Finding x : f.findings()) {
            sb.append("  - ").append(x.type()).append(' ').append(x.masked())
                    .append(ja ? "（確度 " : " (confidence ").append(x.level()).append(ja ? "）" : ")")
                    .append(ja ? " 場所: " : " in ").append(NumberGuard.redact(x.location().isEmpty() ? "message" : x.location()));
            if (x.occurrences() > 1) {
                sb.append(" ×").append(x.occurrences());
            }
            sb.append('\n');
        }
        for (Unscannable u : f.unscannable()) {
            sb.append("  - ").append(ja ? "検査できない内容: " : "could not be inspected: ")
                    .append(NumberGuard.redact(u.location().isEmpty() ? "message" : u.location()))
                    .append(" (").append(u.reason().label()).append(")\n");
        }
    }

    private static String whatHappenedJa(Facts f) {
        return switch (f.action()) {
            case BLOCK -> "あなたが送信したメールは、マイナンバー（個人番号）などの個人情報が含まれているため送信されませんでした。";
            case QUARANTINE -> "あなたが送信したメールは、確認のため保留されました。まだ宛先には届いていません。";
            case HOLD -> "あなたが送信したメールは、誤送信防止のため一時保留されています。まだ宛先には届いていません。";
            case APPROVE -> "あなたが送信したメールは、マイナンバーが含まれているため承認待ちです。まだ宛先には届いていません。";
            default -> "";
        };
    }

    private static String whatHappenedEn(Facts f) {
        return switch (f.action()) {
            case BLOCK -> "Your message was not sent: it contains personal data (My Number).";
            case QUARANTINE -> "Your message is held for review and has not been delivered yet.";
            case HOLD -> "Your message is held briefly (to catch misdirected mail) and has not been delivered yet.";
            case APPROVE -> "Your message contains a My Number and is waiting for approval; it has not been delivered yet.";
            default -> "";
        };
    }

    private static String whatToDoJa(Facts f) {
        return switch (f.action()) {
            case BLOCK -> "マイナンバーを削除してから送り直してください。業務上どうしても必要な場合は、参照番号を添えて情報セキュリティ担当に相談してください。";
            case QUARANTINE -> "管理者が内容を確認します。送信されるか取りやめになるまでお待ちください。急ぎの場合は参照番号を添えて情報セキュリティ担当に連絡してください。";
            case HOLD -> (f.holdDelay() == null ? "しばらくすると" : minutes(f.holdDelay()) + "分後に")
                    + "自動的に送信されます。誤送信の場合は、それまでに参照番号を添えて取り消してください。";
            case APPROVE -> "承認者" + approvers(f) + "の承認後に送信されます。不要になった場合は参照番号を添えて取り消してください。";
            default -> "";
        };
    }

    private static String whatToDoEn(Facts f) {
        return switch (f.action()) {
            case BLOCK -> "Remove the My Numbers and send the message again. If it must be sent for work, contact the"
                    + " security team and quote the reference.";
            case QUARANTINE -> "An administrator will review it; it is sent or dropped after the review. If it is urgent,"
                    + " contact the security team and quote the reference.";
            case HOLD -> "It will be sent automatically " + (f.holdDelay() == null ? "shortly"
                    : "in " + minutes(f.holdDelay()) + " minutes") + ". If it was sent by mistake, cancel it before then"
                    + " (quote the reference).";
            case APPROVE -> "It will be sent once an approver" + approvers(f) + " approves it. If it is no longer"
                    + " needed, cancel it (quote the reference).";
            default -> "";
        };
    }

    private static String approvers(Facts f) {
        return f.approvers().isEmpty() ? ""
                : " (" + f.approvers().stream().map(NumberGuard::redact).collect(Collectors.joining(", ")) + ")";
    }

    private static long minutes(Duration d) {
        return Math.max(1, (d.toSeconds() + 59) / 60);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
