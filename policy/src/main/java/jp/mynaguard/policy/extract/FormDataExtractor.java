package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * {@code multipart/form-data} request bodies (RFC 7578), parsed with the same bounded MIME
 * parser as mail. A text field goes out as {@code name: value} at {@code form:<name>}; a file
 * goes by its own type and name through {@link ExtractionContext#extractNested} at
 * {@code file:<filename>}, and its file name is scanned too. Browsers send file names as raw
 * UTF-8 bytes, which {@link HeaderText#repair8bit} turns back into text.
 */
final class FormDataExtractor {
    private FormDataExtractor() {
    }

    static void extract(ExtractionContext ctx, String location, InputSource body, String contentType)
            throws IOException {
        MailProperties.ensureApplied();
        Limits limits = ctx.limits();
        String formLocation = ExtractionContext.join(location, "form");
        ContentType ct = MimeParts.contentType(contentType);
        if (ct == null || ct.getParameter("boundary") == null) {
            ctx.unscannable(formLocation, UnscannableReason.MALFORMED, "multipart/form-data without boundary");
        }
        try (InputStream root = MimeSources.shared(body)) {
            BoundedMultipart mp = new BoundedMultipart(MimeSources.multipartBody(root, contentType),
                    limits.maxParts(), limits.maxHeaderBytes());
            int count;
            try {
                count = mp.getCount();
            } catch (BoundedMultipart.TooManyParts e) {
                throw new LimitExceededException(UnscannableReason.TOO_LARGE,
                        "more than " + limits.maxParts() + " parts");
            }
            for (int i = 0; i < count; i++) {
                ctx.countPart();
                ctx.checkDeadline();
                BodyPart bp = mp.getBodyPart(i);
                if (bp instanceof BoundedMultipart.OversizedHeaders) {
                    ctx.unscannable(formLocation, UnscannableReason.MALFORMED,
                            "part header block larger than " + limits.maxHeaderBytes() + " bytes");
                    continue;
                }
                part(ctx, location, (MimePart) bp);
            }
            if (count == 0) {
                ctx.unscannable(formLocation, UnscannableReason.MALFORMED, "multipart/form-data without parts");
            } else if (!mp.isComplete()) {
                ctx.unscannable(formLocation, UnscannableReason.MALFORMED, "multipart end boundary missing");
            }
        } catch (MessagingException e) {
            ctx.unscannable(formLocation, UnscannableReason.MALFORMED,
                    "unparseable multipart/form-data (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void part(ExtractionContext ctx, String location, MimePart part)
            throws IOException, MessagingException {
        String disposition = part.getHeader("Content-Disposition", null);
        String d = disposition == null ? "" : HeaderText.unfold(disposition);
        String name = MimeParts.parameter(d, "name");
        name = name == null ? "" : HeaderText.decode(name);
        String rawFileName = d.isEmpty() ? null : MimeParts.parameter(d, "filename");
        ContentType ct = MimeParts.contentType(MimeParts.rawContentType(part));
        Charset declared = ct == null ? null : MimeCharsets.forLabel(ct.getParameter("charset"));
        if (rawFileName == null && (ct == null || MimeParts.is(ct, "text", "plain"))) {
            field(ctx, ExtractionContext.join(location, "form:" + name), name, part, declared);
            return;
        }
        // A file part (or a field with a type of its own, e.g. application/json).
        String fileName = MimeParts.cleanName(rawFileName);
        String shown = fileName != null ? fileName : name;
        String fileLocation = ExtractionContext.join(location, (fileName != null ? "file:" : "form:") + shown);
        if (fileName != null) {
            ctx.emitText(fileLocation, fileName);
        }
        try (InputStream in = MimeSources.decoded(part);
             InputSource src = InputSource.spool(in, ctx.limits().spoolThresholdBytes(), Long.MAX_VALUE)) {
            if (src.size() == 0) {
                return; // an empty file input: no file chosen
            }
            CharsetHints.put(src, declared);
            try {
                ctx.extractNested(fileLocation, fileName, ct == null ? null : ct.getBaseType(), src);
            } finally {
                CharsetHints.remove(src);
            }
        }
    }

    /** A text field: {@code name: value}, value streamed (a textarea can be large). */
    private static void field(ExtractionContext ctx, String location, String name, MimePart part, Charset declared)
            throws IOException, MessagingException {
        try (InputStream in = MimeSources.decoded(part);
             Reader value = TextDecoding.open(in, declared)) {
            ctx.emitText(location, new PrefixedReader(name + ": ", value), (TextSegment.Table) null, null);
        }
    }

    /** A fixed prefix, then a reader. */
    private static final class PrefixedReader extends Reader {
        private final String prefix;
        private final Reader rest;
        private int pos;

        PrefixedReader(String prefix, Reader rest) {
            this.prefix = prefix;
            this.rest = rest;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (pos < prefix.length()) {
                int n = Math.min(len, prefix.length() - pos);
                prefix.getChars(pos, pos + n, cbuf, off);
                pos += n;
                return n;
            }
            return rest.read(cbuf, off, len);
        }

        @Override
        public void close() throws IOException {
            rest.close();
        }
    }
}
