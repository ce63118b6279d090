package jp.mynaguard.proxy.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.mynaguard.policy.rules.Envelope;

/**
 * The files of an upload, for the policy's attachment conditions: the file parts of a
 * {@code multipart/form-data} body (a {@code filename} in Content-Disposition, with the part's
 * Content-Type), or for a raw body sent to a path that names a file ({@code PUT /files/a.csv})
 * that file. One streaming pass that keeps only part headers (bounded): a 1 GB upload costs no
 * memory. The content itself is read by the extractor, not here.
 */
final class UploadedFiles {
    private static final int MAX_LINE = HttpProxyLimits.MAX_PART_HEADER_LINE;
    private static final int MAX_FILES = HttpProxyLimits.MAX_LISTED_FILES;
    private static final Pattern FILENAME_STAR = Pattern.compile("filename\\*\\s*=\\s*(?:[\\w-]+)?'[^']*'([^;\\s]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("(?:^|;)\\s*filename\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^;]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BOUNDARY = Pattern.compile("boundary\\s*=\\s*(\"[^\"]*\"|[^;\\s]+)", Pattern.CASE_INSENSITIVE);

    private UploadedFiles() {
    }

    static List<Envelope.Attachment> list(String contentType, String contentEncoding, String pathOnly, InputStream body)
            throws IOException {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean encoded = contentEncoding != null && !contentEncoding.isBlank()
                && !contentEncoding.trim().equalsIgnoreCase("identity");
        if (type.equals("multipart/form-data")) {
            String boundary = boundary(contentType);
            return boundary == null || encoded ? List.of() : formFiles(boundary, body);
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return List.of();
        }
        String name = decode(pathOnly.substring(pathOnly.lastIndexOf('/') + 1));
        return name.indexOf('.') > 0 ? List.of(new Envelope.Attachment(name, contentType)) : List.of();
    }

    static String boundary(String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return null;
        }
        String b = m.group(1);
        return b.startsWith("\"") ? b.substring(1, b.length() - 1) : b;
    }

    private static List<Envelope.Attachment> formFiles(String boundary, InputStream raw) throws IOException {
        List<Envelope.Attachment> files = new ArrayList<>();
        String delimiter = "--" + boundary;
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        boolean inHeaders = false;
        String disposition = null;
        String partType = null;
        String line;
        while ((line = readLine(in)) != null && files.size() < MAX_FILES) {
            if (line.startsWith(delimiter)) {
                if (line.startsWith(delimiter + "--")) {
                    break;
                }
                inHeaders = true;
                disposition = null;
                partType = null;
                continue;
            }
            if (!inHeaders) {
                continue;
            }
            if (line.isEmpty()) {
                inHeaders = false;
                String name = disposition == null ? null : fileName(disposition);
                if (name != null) {
                    files.add(new Envelope.Attachment(name, partType));
                }
            } else if (line.regionMatches(true, 0, "Content-Disposition:", 0, 20)) {
                disposition = line.substring(20).trim();
            } else if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                partType = line.substring(13).trim();
            }
        }
        return files;
    }

    /** The file name of a form part, or null for a plain field. Browsers send names as raw UTF-8. */
    static String fileName(String disposition) {
        Matcher star = FILENAME_STAR.matcher(disposition);
        if (star.find()) {
            return decode(star.group(1));
        }
        Matcher m = FILENAME.matcher(disposition);
        if (!m.find()) {
            return null;
        }
        String v = m.group(1).trim();
        if (v.startsWith("\"") && v.length() >= 2) {
            v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    /** Percent-decoding as in URLs ({@code +} stays a plus); a malformed escape leaves the text as it is. */
    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** One line without its CR LF (ISO-8859-1 bytes turned into UTF-8 text), cut at MAX_LINE; null at the end. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            if (c == '\n') {
                break;
            }
            if (line.size() < MAX_LINE) {
                line.write(c);
            }
        }
        if (!any) {
            return null;
        }
        byte[] b = line.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
