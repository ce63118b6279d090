package jp.mynaguard.policy.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds raw test messages byte by byte: headers in ASCII, bodies in any charset, CRLF line ends. */
final class Mail {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Mail create() {
        return new Mail();
    }

    /** ASCII (or, for raw 8-bit header tests, UTF-8) text with LF turned into CRLF. */
    Mail text(String s) {
        return bytes(s.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    Mail line(String s) {
        return text(s + "\n");
    }

    Mail bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** {@code s} in {@code charset}, base64 with 76-char lines. */
    Mail base64(String s, Charset charset) {
        return base64(s.getBytes(charset));
    }

    Mail base64(byte[] b) {
        return text(Base64.getMimeEncoder().encodeToString(b) + "\n");
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    /** Extracts the message with {@code limits}. */
    RecordingSink extract(Limits limits) throws IOException {
        RecordingSink sink = new RecordingSink();
        try (InputStream in = new java.io.ByteArrayInputStream(toBytes())) {
            new ContentExtractor(limits).extract(Format.MESSAGE, "", null, in, sink);
        }
        return sink;
    }

    RecordingSink extract() throws IOException {
        return extract(Limits.defaults());
    }
}
