package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * MESSAGE: an RFC 5322 message, top-level (SMTP DATA) or forwarded ({@code message/rfc822}).
 * Parsed by jakarta.mail over a shared stream, so bodies stay in the spool file; walked by
 * {@link MimeWalker}. Broken structure never escapes as an exception: the readable parts are
 * scanned and the broken one is recorded as {@code malformed}.
 */
final class MessageExtractor implements FormatExtractor {
    static {
        MailProperties.ensureApplied();
    }

    /** MimeMessage reads some properties (allowutf8, address strictness) from its session. */
    private static final Session SESSION;

    static {
        Properties p = new Properties();
        p.putAll(MailProperties.applied());
        SESSION = Session.getInstance(p);
    }

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        String where = location.isEmpty() ? "message" : location;
        try {
            extractMessage(ctx, location, source);
        } catch (LimitExceededException e) {
            if (e.reason() == UnscannableReason.TIMEOUT) {
                throw e;
            }
            ctx.unscannable(where, e.reason(), e.getMessage());
        } catch (MessagingException | RuntimeException e) {
            // Library messages may quote header values; only the kind of failure is kept.
            ctx.unscannable(where, UnscannableReason.MALFORMED, "unparseable message (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void extractMessage(ExtractionContext ctx, String location, InputSource source)
            throws IOException, MessagingException {
        int maxHeader = ctx.limits().maxHeaderBytes();
        if (HeaderBlocks.exceeds(source.openStream(), maxHeader)) {
            ctx.unscannable(location.isEmpty() ? "message" : location, UnscannableReason.MALFORMED,
                    "message header block larger than " + maxHeader + " bytes");
            // Not a message we can take apart; its bytes are still scanned as plain text.
            try (Reader r = TextDecoding.open(source.openStream(), null)) {
                ctx.emitText(ExtractionContext.join(location, "body"), r, null, null);
            }
            return;
        }
        try (InputStream root = MimeSources.shared(source)) {
            MimeMessage message = new MimeMessage(SESSION, root);
            new MimeWalker(ctx, location).message(message);
        }
    }
}
