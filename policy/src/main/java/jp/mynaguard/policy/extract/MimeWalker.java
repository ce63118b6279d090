package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;

/**
 * Walks the parts of one message with an explicit multipart level (never through
 * {@code getContent()}, whose recursion has no bound): text bodies are decoded and emitted,
 * forwarded messages and attachments are spooled and handed to
 * {@link ExtractionContext#extractNested}, so a zip or xlsx inside is read by its extractor
 * and the depth, part and size limits hold across formats.
 *
 * <p>Locations: {@code subject}, {@code body}, {@code attachment:<file name>}, each under the
 * message's own location for a forwarded message ({@code attachment:fwd.eml/body}).
 */
final class MimeWalker {
    private final ExtractionContext ctx;
    private final String base;
    private final String bodyLocation;
    private int unnamed;

    MimeWalker(ExtractionContext ctx, String base) {
        this.ctx = ctx;
        this.base = base;
        this.bodyLocation = ExtractionContext.join(base, "body");
    }

    void message(MimeMessage message) throws IOException, MessagingException {
        String subject = message.getHeader("Subject", null);
        String decoded = subject == null ? null : HeaderText.decode(subject);
        if (decoded != null && !decoded.isBlank()) {
            ctx.emitText(ExtractionContext.join(base, "subject"), decoded);
        }
        entity(message, 0);
    }

    /** One MIME entity inside {@code level} multiparts. */
    private void entity(MimePart part, int level) throws IOException, MessagingException {
        ctx.checkDeadline();
        String rawType = MimeParts.rawContentType(part);
        ContentType ct = MimeParts.contentType(rawType);
        if (ct == null) {
            // The recipient's client may still see structure here; we scan the bytes as text.
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "unparseable Content-Type");
            ct = MimeParts.contentType(null);
        }
        if (MimeParts.is(ct, "multipart", null)) {
            multipart(part, rawType, ct, level + 1);
            return;
        }
        String name = MimeParts.fileName(part, ct);
        if (MimeParts.is(ct, "message", "rfc822") || MimeParts.is(ct, "message", "global")) {
            nestedMessage(part, name);
        } else if (name == null && !MimeParts.isAttachment(part) && MimeParts.is(ct, "text", null)) {
            body(part, ct);
        } else {
            attachment(part, ct, name);
        }
    }

    private void multipart(MimePart part, String rawType, ContentType ct, int level)
            throws IOException, MessagingException {
        Limits limits = ctx.limits();
        if (ctx.depth() + level > limits.maxDepth()) {
            ctx.unscannable(bodyLocation, UnscannableReason.TOO_DEEP,
                    "multipart nested more than " + limits.maxDepth() + " levels");
            return;
        }
        if (ct.getParameter("boundary") == null) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "multipart without boundary parameter");
        }
        BoundedMultipart mp = new BoundedMultipart(MimeSources.multipartBody(part, rawType),
                limits.maxParts(), limits.maxHeaderBytes());
        int count;
        try {
            count = mp.getCount();
        } catch (BoundedMultipart.TooManyParts e) {
            throw new LimitExceededException(UnscannableReason.TOO_LARGE, "more than " + limits.maxParts() + " parts");
        } catch (MessagingException e) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED,
                    "unparseable multipart (" + e.getClass().getSimpleName() + ")");
            return;
        }
        String preamble = mp.getPreamble();
        if (preamble != null && preamble.chars().anyMatch(Character::isDigit)) {
            // Not shown by mail clients, but sent: a number can be hidden there. The usual
            // "This is a multi-part message" boilerplate has no digit and is left out.
            ctx.emitText(bodyLocation, preamble);
        }
        for (int i = 0; i < count; i++) {
            ctx.countPart();
            BodyPart bp = mp.getBodyPart(i);
            if (bp instanceof BoundedMultipart.OversizedHeaders) {
                ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED,
                        "part header block larger than " + limits.maxHeaderBytes() + " bytes");
                continue;
            }
            try {
                entity((MimePart) bp, level);
            } catch (MessagingException e) {
                ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED,
                        "unreadable part (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (count == 0) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "multipart without parts");
        } else if (!mp.isComplete()) {
            ctx.unscannable(bodyLocation, UnscannableReason.MALFORMED, "multipart end boundary missing");
        }
    }

    /** A text body: decoded with the declared charset when it fits, sniffed otherwise. */
    private void body(MimePart part, ContentType ct) throws IOException, MessagingException {
        Charset declared = MimeCharsets.forLabel(ct.getParameter("charset"));
        boolean html = MimeParts.is(ct, "text", "html");
        if (!html && !MimeParts.is(ct, "text", "plain")) {
            // Inline text/csv, text/calendar …: by their own extractor, still at "body".
            try (InputSource src = spool(part)) {
                CharsetHints.put(src, declared);
                try {
                    ctx.extractNested(bodyLocation, null, ct.getBaseType(), src);
                } finally {
                    CharsetHints.remove(src);
                }
            }
            return;
        }
        try (InputStream in = MimeSources.decoded(part); Reader r = TextDecoding.open(in, declared)) {
            if (html) {
                HtmlExtractor.emit(ctx, bodyLocation, r);
            } else {
                ctx.emitText(bodyLocation, r, null, null);
            }
        }
    }

    /** A forwarded message: a message of its own, one level deeper. */
    private void nestedMessage(MimePart part, String name) throws IOException, MessagingException {
        String location = ExtractionContext.join(base, "attachment:" + (name != null ? name : unnamed("eml")));
        if (name != null) {
            ctx.emitText(location, name);
        }
        try (InputSource src = spool(part)) {
            ctx.extractAs(Format.MESSAGE, location, src);
        }
    }

    /** An attachment: its file name is scanned, its content goes to the extractor of its type. */
    private void attachment(MimePart part, ContentType ct, String name) throws IOException, MessagingException {
        String location = ExtractionContext.join(base, "attachment:" + (name != null ? name : unnamed(null)));
        if (name != null) {
            ctx.emitText(location, name);
        }
        try (InputSource src = spool(part)) {
            CharsetHints.put(src, MimeCharsets.forLabel(ct.getParameter("charset")));
            try {
                ctx.extractNested(location, name, ct.getBaseType(), src);
            } finally {
                CharsetHints.remove(src);
            }
        }
    }

    private String unnamed(String extension) {
        return "part-" + (++unnamed) + (extension == null ? "" : "." + extension);
    }

    /** The decoded body in memory or, past the spool threshold, in a temporary file. */
    private InputSource spool(MimePart part) throws IOException, MessagingException {
        try (InputStream in = MimeSources.decoded(part)) {
            return InputSource.spool(in, ctx.limits().spoolThresholdBytes(), Long.MAX_VALUE);
        }
    }
}
