package jp.mynaguard.policy.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and header fields of a raw HTTP/1.1 request, read up to and including the
 * empty line that ends them, within {@link Limits#maxHeaderBytes()}. Field values are taken as
 * ISO-8859-1 (RFC 9110 5.5); names are compared case-insensitively.
 */
final class HttpHead {
    final String method;
    final String target;
    final String version;
    /** Bytes the head took on the wire, the empty line included: where the body starts. */
    final long length;
    private final Map<String, List<String>> fields;

    private HttpHead(String method, String target, String version, long length, Map<String, List<String>> fields) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.length = length;
        this.fields = fields;
    }

    /** The first value of a field, trimmed, or {@code null}. */
    String field(String name) {
        List<String> v = fields.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value of a field, in order (empty when absent). */
    List<String> fields(String name) {
        List<String> v = fields.get(name.toLowerCase(Locale.ROOT));
        return v == null ? Collections.emptyList() : v;
    }

    /**
     * Reads the head from {@code in}, leaving {@code in} at the first body byte.
     *
     * @throws LimitExceededException ({@code malformed}) when the head is longer than {@code max}
     *                                bytes, not terminated, or not an HTTP request
     */
    static HttpHead read(InputStream in, int max) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        long total = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw malformed("request head not terminated");
            }
            if (++total > max) {
                throw malformed("request header block larger than " + max + " bytes");
            }
            if (c != '\n') {
                line.write(c);
                continue;
            }
            String s = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                if (lines.isEmpty()) {
                    continue; // RFC 9112 2.2: empty lines before the request line are ignored
                }
                break;
            }
            lines.add(s);
        }
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()
                || !requestLine[2].startsWith("HTTP/")) {
            throw malformed("bad request line");
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String lastName = null;
        for (String s : lines.subList(1, lines.size())) {
            if ((s.charAt(0) == ' ' || s.charAt(0) == '\t') && lastName != null) {
                // obs-fold: the proxy rejects it on the wire; here the value is just continued.
                List<String> v = fields.get(lastName);
                v.set(v.size() - 1, v.get(v.size() - 1) + " " + s.strip());
                continue;
            }
            int colon = s.indexOf(':');
            if (colon <= 0) {
                throw malformed("bad header line");
            }
            lastName = s.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            fields.computeIfAbsent(lastName, k -> new ArrayList<>(1)).add(s.substring(colon + 1).strip());
        }
        return new HttpHead(requestLine[0], requestLine[1], requestLine[2], total, fields);
    }

    private static LimitExceededException malformed(String detail) {
        return new LimitExceededException(UnscannableReason.MALFORMED, detail);
    }
}
