package jp.mynaguard.proxy.smtp;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Received:} trace field we add (RFC 5321 §4.4), and the {@code Message-ID:} we add
 * to messages without one. Only ASCII from the client reaches them, cleaned of anything that
 * would break the field's syntax.
 */
final class ReceivedHeader {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {
    }

    /**
     * @param protocol   RFC 3848 "with" keyword: ESMTP, ESMTPS, ESMTPA, ESMTPSA (or SMTP)
     * @param tlsDetails e.g. {@code TLSv1.3 with cipher TLS_AES_128_GCM_SHA256}; {@code null} without TLS
     */
    static byte[] build(String helo, String clientIp, String hostname, String protocol, String tlsDetails,
                        String id, List<String> recipients, ZonedDateTime when) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("Received: from ").append(clean(helo == null || helo.isEmpty() ? "unknown" : helo))
                .append(" ([").append(clientIp).append("])\r\n");
        sb.append("\tby ").append(hostname).append(" (Mynaguard)");
        if (tlsDetails != null) {
            sb.append("\r\n\t(using ").append(tlsDetails).append(')');
        }
        sb.append("\r\n\twith ").append(protocol).append(" id ").append(id);
        if (recipients.size() == 1 && recipients.get(0).chars().allMatch(c -> c < 0x80)) {
            // Only for a single recipient, as Postfix does: with several it would disclose Bcc recipients.
            sb.append("\r\n\tfor <").append(clean(recipients.get(0))).append('>');
        }
        sb.append(";\r\n\t").append(DATE.format(when)).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] messageId(String id, String hostname, long millis) {
        return ("Message-ID: <" + id + "." + Long.toString(millis, 36) + "@" + hostname + ">\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Printable ASCII without the characters that delimit comments and fields; at most 255. */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && sb.length() < 255; i++) {
            char c = s.charAt(i);
            sb.append(c > ' ' && c < 0x7f && "()<>;\\\"".indexOf(c) < 0 ? c : '_');
        }
        return sb.toString();
    }
}
