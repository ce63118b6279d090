package jp.mynaguard.policy.extract;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;

/** Reads the headers of a MIME part that decide how it is extracted: type, disposition, file name. */
final class MimeParts {
    private static final Pattern LOOSE_PARAMETER =
            Pattern.compile("(?i)(?:^|;)\\s*(filename|name)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");

    private MimeParts() {
    }

    /** The Content-Type header, unfolded, or {@code null} when absent. */
    static String rawContentType(MimePart part) throws MessagingException {
        String v = part.getHeader("Content-Type", null);
        return v == null ? null : HeaderText.unfold(v).trim();
    }

    /**
     * The parsed Content-Type: {@code text/plain} when absent (RFC 2045 5.2), {@code null} when
     * present but unparseable.
     */
    static ContentType contentType(String raw) {
        if (raw == null || raw.isEmpty()) {
            return new ContentType("text", "plain", null);
        }
        try {
            return new ContentType(raw);
        } catch (ParseException e) {
            return null;
        }
    }

    static boolean is(ContentType ct, String primary, String sub) {
        return ct.getPrimaryType().toLowerCase(Locale.ROOT).equals(primary)
                && (sub == null || ct.getSubType().toLowerCase(Locale.ROOT).equals(sub));
    }

    /** Whether the part says {@code Content-Disposition: attachment}. */
    static boolean isAttachment(MimePart part) throws MessagingException {
        String d = part.getHeader("Content-Disposition", null);
        return d != null && HeaderText.unfold(d).trim().toLowerCase(Locale.ROOT).startsWith("attachment");
    }

    /**
     * The decoded file name: Content-Disposition {@code filename} (RFC 2231, also RFC 2047
     * inside quotes as Outlook writes it, also raw UTF-8 or Shift_JIS bytes), else the
     * Content-Type {@code name}; without any path. {@code null} when the part has none.
     */
    static String fileName(MimePart part, ContentType ct) throws MessagingException {
        String name = null;
        String disposition = part.getHeader("Content-Disposition", null);
        if (disposition != null) {
            name = parameter(HeaderText.unfold(disposition), "filename");
        }
        if (name == null && ct != null) {
            name = ct.getParameter("name");
        }
        return cleanName(name);
    }

    /** A parameter of a disposition-like header value, parsed leniently. */
    static String parameter(String headerValue, String parameter) {
        try {
            String v = new ContentDisposition(headerValue).getParameter(parameter);
            if (v != null) {
                return v;
            }
        } catch (ParseException e) {
            // fall through to the loose reading below
        }
        Matcher m = LOOSE_PARAMETER.matcher(headerValue);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(parameter)) {
                return m.group(3) != null ? m.group(3) : m.group(2);
            }
        }
        return null;
    }

    /** Decodes a file name and drops any directory part a client put in. */
    static String cleanName(String name) {
        if (name == null) {
            return null;
        }
        String n = HeaderText.decode(name).strip();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        if (slash >= 0 && slash < n.length() - 1) {
            n = n.substring(slash + 1);
        }
        return n.isEmpty() ? null : n;
    }
}
