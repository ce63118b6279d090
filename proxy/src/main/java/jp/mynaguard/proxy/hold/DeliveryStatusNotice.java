package jp.mynaguard.proxy.hold;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.mail.internet.MimeUtility;

/**
 * A bounce as RFC 3464 defines it: {@code multipart/report; report-type=delivery-status} with
 * the explanation for people (Japanese and English, from the {@code sender-bounced} template),
 * the machine-readable {@code message/delivery-status} (one block per failed recipient with its
 * status and the smarthost's reply), and the held message's headers, masked, as
 * {@code text/rfc822-headers}: never its body, which holds the number.
 */
final class DeliveryStatusNotice {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private DeliveryStatusNotice() {
    }

    static byte[] build(HoldNotifier.Bounce b, NoticeTemplates.Rendered human, String from, String to, String hostname,
                        Instant now, ZoneId zone) {
        String boundary = "=_mynaguard_dsn_" + HexFormat.of().formatHex(random(12));
        StringBuilder m = new StringBuilder(4096);
        m.append("From: Mynaguard <").append(from).append(">\r\n");
        m.append("To: <").append(to).append(">\r\n");
        m.append("Subject: ").append(encode(human.subject())).append("\r\n");
        m.append("Date: ").append(DATE.format(now.atZone(zone))).append("\r\n");
        m.append("Message-ID: <dsn.").append(b.notice().referenceId()).append('.')
                .append(HexFormat.of().formatHex(random(6))).append('@').append(hostname).append(">\r\n");
        // RFC 3834: a bounce is an automatic reply; auto-responders must not answer it.
        m.append("Auto-Submitted: auto-replied\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary)
                .append("\"\r\n\r\n");
        m.append("This is a delivery status notification (RFC 3464).\r\n\r\n");

        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        m.append(base64(human.body())).append("\r\n");

        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: message/delivery-status\r\n\r\n");
        m.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        m.append("X-Mynaguard-Reference: ").append(b.notice().referenceId()).append("\r\n");
        m.append("Arrival-Date: ").append(DATE.format(b.arrival().atZone(zone))).append("\r\n");
        for (HoldNotifier.FailedRecipient r : b.failed()) {
            m.append("\r\n");
            m.append("Final-Recipient: rfc822; ").append(ascii(r.address())).append("\r\n");
            m.append("Action: failed\r\n");
            m.append("Status: ").append(r.status()).append("\r\n");
            m.append("Diagnostic-Code: smtp; ").append(diagnostic(r.diagnostic())).append("\r\n");
            m.append("Last-Attempt-Date: ").append(DATE.format(now.atZone(zone))).append("\r\n");
        }
        m.append("\r\n");

        m.append("--").append(boundary).append("\r\n");
        String headers = MetadataMask.mask(b.originalHeaders());
        boolean ascii = headers.chars().allMatch(c -> c < 0x80);
        m.append("Content-Type: text/rfc822-headers").append(ascii ? "" : "; charset=UTF-8").append("\r\n");
        if (ascii) {
            m.append("\r\n").append(headers.endsWith("\r\n") ? headers : headers + "\r\n");
        } else {
            m.append("Content-Transfer-Encoding: base64\r\n\r\n").append(base64(headers)).append("\r\n");
        }
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String subject) {
        try {
            return MimeUtility.fold(9, MimeUtility.encodeText(subject, "UTF-8", "B"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 missing", e);
        }
    }

    private static String base64(String text) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A header value must be ASCII without line breaks. */
    private static String ascii(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    private static String diagnostic(String d) {
        String a = ascii(MetadataMask.mask(d));
        return a.length() <= HoldLimits.MAX_DIAGNOSTIC_CHARS ? a : a.substring(0, HoldLimits.MAX_DIAGNOSTIC_CHARS);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
