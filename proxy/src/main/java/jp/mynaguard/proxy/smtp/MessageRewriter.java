package jp.mynaguard.proxy.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.internet.MimeUtility;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.SideEffects;

/**
 * Applies a decision's message changes to the copy that goes out (now, or on release from the
 * hold store): To/Cc turned into Bcc (misdirection guard), header fields added, a subject tag.
 * Only the header section is rewritten; every other byte is copied as it is, and untouched
 * header fields keep their exact bytes.
 */
final class MessageRewriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final String UNDISCLOSED = "To: undisclosed-recipients:;\r\n";

    private final int spoolThreshold;
    private final Path spoolDirectory;

    MessageRewriter(int spoolThreshold, Path spoolDirectory) {
        this.spoolThreshold = spoolThreshold;
        this.spoolDirectory = spoolDirectory;
    }

    static boolean changes(Decision d) {
        SideEffects e = d.effects();
        return d.convertToBcc() || !e.addHeaders().isEmpty() || !e.subjectTag().isEmpty();
    }

    /** The rewritten copy, or {@code null} when the decision changes nothing. The caller closes the copy. */
    SpooledMessage apply(InputSource original, Decision d) throws IOException {
        if (!changes(d)) {
            return null;
        }
        SideEffects e = d.effects();
        try (InputStream in = new BufferedInputStream(original.openStream(), 64 * 1024);
             MessageSpool out = new MessageSpool(spoolThreshold, spoolDirectory)) {
            List<byte[]> fields = readHeaderFields(in);
            boolean bodyFollows = !fields.isEmpty() && fields.get(fields.size() - 1) == null;
            if (bodyFollows) {
                fields.remove(fields.size() - 1);
            }
            boolean toWritten = false;
            boolean subjectSeen = false;
            for (byte[] field : fields) {
                String name = fieldName(field);
                if (d.convertToBcc() && (name.equals("to") || name.equals("cc") || name.equals("bcc"))) {
                    if (!toWritten) {
                        out.write(UNDISCLOSED.getBytes(StandardCharsets.US_ASCII));
                        toWritten = true;
                    }
                    continue;
                }
                if (containsIgnoreCase(e.addHeaders(), name)) {
                    // Ours to set: a client must not be able to pre-set a marker the gateway adds.
                    continue;
                }
                if (name.equals("subject") && !e.subjectTag().isEmpty() && !subjectSeen) {
                    subjectSeen = true;
                    out.write(taggedSubject(field, e.subjectTag()));
                    continue;
                }
                out.write(field);
            }
            if (d.convertToBcc() && !toWritten) {
                out.write(UNDISCLOSED.getBytes(StandardCharsets.US_ASCII));
            }
            if (!e.subjectTag().isEmpty() && !subjectSeen) {
                out.write(field("Subject", e.subjectTag()));
            }
            for (Map.Entry<String, String> h : e.addHeaders().entrySet()) {
                out.write(field(h.getKey(), h.getValue()));
            }
            if (bodyFollows) {
                out.write(CRLF);
                in.transferTo(new SpoolOutput(out));
            }
            return out.finish();
        }
    }

    /** Header fields (first line plus continuation lines, raw); a trailing {@code null} when the empty line was seen. */
    private static List<byte[]> readHeaderFields(InputStream in) throws IOException {
        List<byte[]> fields = new ArrayList<>();
        ByteArrayOutputStream current = null;
        long total = 0;
        byte[] line;
        while ((line = readLine(in)) != null) {
            total += line.length;
            if (total > SmtpLimits.MAX_HEADER_BYTES) {
                throw new IOException("header section larger than " + SmtpLimits.MAX_HEADER_BYTES + " bytes");
            }
            if (line.length == 2 && line[0] == '\r') {
                if (current != null) {
                    fields.add(current.toByteArray());
                }
                fields.add(null);
                return fields;
            }
            if ((line[0] == ' ' || line[0] == '\t') && current != null) {
                current.write(line);
                continue;
            }
            if (current != null) {
                fields.add(current.toByteArray());
            }
            current = new ByteArrayOutputStream(line.length + 64);
            current.write(line);
        }
        if (current != null) {
            fields.add(current.toByteArray());
        }
        return fields;
    }

    /** A line with its CRLF, or {@code null} at the end. The content is CRLF-normalised by the frame decoder. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
            if (line.size() > SmtpLimits.MAX_HEADER_BYTES) {
                throw new IOException("header line too long");
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static String fieldName(byte[] field) {
        int colon = -1;
        for (int i = 0; i < field.length && i < 100; i++) {
            if (field[i] == ':') {
                colon = i;
                break;
            }
        }
        return colon < 0 ? "" : new String(field, 0, colon, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean containsIgnoreCase(Map<String, String> headers, String name) {
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] taggedSubject(byte[] field, String tag) throws UnsupportedEncodingException {
        String raw = new String(field, StandardCharsets.UTF_8);
        String value = raw.substring(raw.indexOf(':') + 1).replaceAll("\r\n[ \t]", " ").replace("\r\n", "").trim();
        String decoded = MimeUtility.decodeText(MimeUtility.unfold(value));
        if (decoded.startsWith(tag)) {
            return field;
        }
        return field("Subject", decoded.isEmpty() ? tag : tag + " " + decoded);
    }

    /** {@code Name: value} folded, with RFC 2047 encoded words when the value is not ASCII. */
    static byte[] field(String name, String value) throws UnsupportedEncodingException {
        boolean ascii = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        String encoded = ascii ? value : MimeUtility.encodeText(value, "UTF-8", "B");
        String folded = MimeUtility.fold(name.length() + 2, encoded);
        return (name + ": " + folded + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Adapts the spool to {@link InputStream#transferTo}. */
    private static final class SpoolOutput extends java.io.OutputStream {
        private final MessageSpool spool;

        SpoolOutput(MessageSpool spool) {
            this.spool = spool;
        }

        @Override
        public void write(int b) throws IOException {
            spool.write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            spool.write(b, off, len);
        }
    }
}
