package jp.mynaguard.proxy.smtp;

import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a code, an optional enhanced status code (RFC 3463) and text lines (ASCII).
 *
 * @param code     e.g. 250, 451, 550
 * @param enhanced e.g. {@code 2.0.0}; empty when the peer sent none
 * @param lines    reply text, one entry per line (multi-line replies such as EHLO), never empty
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {
    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        enhanced = Objects.requireNonNullElse(enhanced, "");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            lines = List.of("");
        }
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    public boolean positive() {
        return code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** The reply as sent on the wire: {@code 250-…CRLF} lines and a last {@code 250 …CRLF}. */
    public String toWire() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (!enhanced.isEmpty()) {
                sb.append(enhanced).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return code + (enhanced.isEmpty() ? "" : " " + enhanced) + " " + String.join(" / ", lines);
    }
}
