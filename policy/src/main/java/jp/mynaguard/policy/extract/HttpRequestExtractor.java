package jp.mynaguard.policy.extract;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import jakarta.mail.internet.ContentType;

/**
 * HTTP_REQUEST: the raw bytes of one HTTP/1.1 request as the proxy saw them. The head is parsed
 * here (bounded by {@link Limits#maxHeaderBytes()}); the request target's path and query are
 * scanned at {@code url}; the body is de-chunked, decompressed (as a guarded stream, so a gzip
 * bomb stops at the ratio limit) and then read as a form, a multipart upload or a file of its
 * content type at {@code body}.
 */
final class HttpRequestExtractor implements FormatExtractor {
    /** Content codings applied on top of each other that are undone; more is hostile. */
    private static final int MAX_CODINGS = 4;

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        try {
            extractRequest(ctx, location, source);
        } catch (LimitExceededException e) {
            if (e.reason() == UnscannableReason.TIMEOUT) {
                throw e;
            }
            // Named here: at the top the location is empty, and "request" says what broke.
            ctx.unscannable(location.isEmpty() ? "request" : location, e.reason(), e.getMessage());
        }
    }

    private static void extractRequest(ExtractionContext ctx, String location, InputSource source) throws IOException {
        String bodyLocation = ExtractionContext.join(location, "body");
        try (InputStream in = new BufferedInputStream(source.openStream(), 16 * 1024)) {
            HttpHead head = HttpHead.read(in, ctx.limits().maxHeaderBytes());
            UrlEncoded.emitTarget(ctx, ExtractionContext.join(location, "url"), head.target);
            try (InputSource framed = frame(ctx, bodyLocation, head, in, source)) {
                if (framed == null || framed.size() == 0) {
                    return;
                }
                try (InputSource decoded = decode(ctx, bodyLocation, head, framed)) {
                    if (decoded != null) {
                        dispatch(ctx, location, head, decoded);
                    }
                }
            }
        }
    }

    /**
     * The body without its transfer coding; {@code null} when it cannot be framed. A body that is
     * not chunked is a slice of {@code source} (the rest, or Content-Length bytes of it): the
     * proxy hands over a spooled request whose body runs to the end, and copying 10 MB into a
     * second spool was a third of the cost of inspecting an upload. Only a chunked body is
     * spooled again, without its chunk framing.
     */
    private static InputSource frame(ExtractionContext ctx, String bodyLocation, HttpHead head, InputStream in,
                                     InputSource source) throws IOException {
        String te = String.join(",", head.fields("transfer-encoding")).trim();
        List<String> lengths = head.fields("content-length");
        if (!te.isEmpty()) {
            if (!te.equalsIgnoreCase("chunked")) {
                ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "unsupported transfer-encoding");
                return null;
            }
            if (!lengths.isEmpty()) {
                // Request smuggling shape: the proxy refuses it; here chunked wins (RFC 9112 6.3).
                ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "both transfer-encoding and content-length");
            }
            ChunkedInputStream chunked = new ChunkedInputStream(in, ctx.limits().maxHeaderBytes());
            InputSource body = InputSource.spool(chunked, ctx.limits().spoolThresholdBytes(), Long.MAX_VALUE);
            if (chunked.problem() != null) {
                ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, chunked.problem());
            }
            return body;
        }
        // slice() clamps to the end of the source: "the rest" is any length beyond it
        if (lengths.isEmpty()) {
            return source.slice(head.length, Long.MAX_VALUE);
        }
        long length = contentLength(lengths);
        if (length < 0) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "invalid content-length");
            return source.slice(head.length, Long.MAX_VALUE);
        }
        if (source.size() - head.length < length) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "body shorter than content-length");
        }
        return source.slice(head.length, length);
    }

    /** The one Content-Length all fields agree on, or -1. */
    private static long contentLength(List<String> values) {
        long length = -1;
        for (String v : values) {
            for (String part : v.split(",")) {
                String p = part.trim();
                if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(Character::isDigit)) {
                    return -1;
                }
                long l = Long.parseLong(p);
                if (length >= 0 && l != length) {
                    return -1;
                }
                length = l;
            }
        }
        return length;
    }

    /** The body with its content codings undone, or {@code framed} itself when there are none. */
    private static InputSource decode(ExtractionContext ctx, String bodyLocation, HttpHead head, InputSource framed)
            throws IOException {
        List<String> codings = new ArrayList<>();
        for (String v : head.fields("content-encoding")) {
            for (String c : v.split(",")) {
                String coding = c.trim().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty() && !coding.equals("identity")) {
                    codings.add(coding);
                }
            }
        }
        if (codings.isEmpty()) {
            return framed; // closing it twice is harmless
        }
        if (codings.size() > MAX_CODINGS) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "too many content codings");
            return null;
        }
        InputStream raw = framed.openStream();
        InputStream s = raw;
        try {
            for (int i = codings.size() - 1; i >= 0; i--) {
                s = decoder(codings.get(i), s);
                if (s == null) {
                    ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "unsupported content-encoding");
                    return null;
                }
            }
            try (InputStream guarded = ctx.guardDecompressed(s, framed.size())) {
                return InputSource.spool(guarded, ctx.limits().spoolThresholdBytes(), Long.MAX_VALUE);
            }
        } catch (LimitExceededException e) {
            if (e.reason() == UnscannableReason.TIMEOUT) {
                throw e;
            }
            ctx.unscannable(bodyLocation, e.reason(), e.getMessage());
            return null;
        } catch (ZipException | EOFException e) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "corrupt compressed body");
            return null;
        } finally {
            raw.close();
        }
    }

    /** Undoes one content coding; {@code null} for one we do not know (br, zstd, compress). */
    private static InputStream decoder(String coding, InputStream in) throws IOException {
        switch (coding) {
            case "gzip":
            case "x-gzip":
                return new GZIPInputStream(in, 8192);
            case "deflate":
                // Meant to be zlib (RFC 9110 8.4.1.2), but some clients send raw deflate.
                BufferedInputStream b = new BufferedInputStream(in, 8192);
                b.mark(2);
                int c0 = b.read();
                int c1 = b.read();
                b.reset();
                boolean zlib = c0 >= 0 && c1 >= 0 && (c0 & 0x0f) == 8 && ((c0 << 8) | c1) % 31 == 0;
                return new InflaterInputStream(b, new Inflater(!zlib), 8192);
            default:
                return null;
        }
    }

    private static void dispatch(ExtractionContext ctx, String location, HttpHead head, InputSource body)
            throws IOException {
        String contentType = head.field("content-type");
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Charset declared = charsetOf(contentType);
        if (type.equals("multipart/form-data")) {
            FormDataExtractor.extract(ctx, location, body, contentType);
        } else if (type.equals("application/x-www-form-urlencoded")) {
            try (InputStream in = body.openStream()) {
                UrlEncoded.emitForm(ctx, location, in, declared);
            }
        } else {
            CharsetHints.put(body, declared);
            try {
                ctx.extractNested(ExtractionContext.join(location, "body"), fileNameOf(head.target), contentType, body);
            } finally {
                CharsetHints.remove(body);
            }
        }
    }

    private static Charset charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        ContentType ct = MimeParts.contentType(contentType);
        return ct == null ? null : MimeCharsets.forLabel(ct.getParameter("charset"));
    }

    /** The last path segment when it looks like a file name ({@code PUT /files/memo.txt}). */
    static String fileNameOf(String target) {
        String t = target;
        int q = t.indexOf('?');
        if (q >= 0) {
            t = t.substring(0, q);
        }
        String last = t.substring(t.lastIndexOf('/') + 1);
        String name = UrlEncoded.decode(UrlEncoded.percentDecode(last, false), null);
        return name.indexOf('.') > 0 ? name : null;
    }

}
