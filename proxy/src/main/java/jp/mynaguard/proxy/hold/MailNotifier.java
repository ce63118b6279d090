package jp.mynaguard.proxy.hold;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.proxy.smtp.Relay;
import jp.mynaguard.proxy.smtp.RelayResult;
import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.Upstream;

/**
 * Sends the workflow's notices as mail through the upstream (the smarthost or the outbox), from
 * the null sender ({@code MAIL FROM:<>}) so a notice that cannot be delivered never bounces
 * back into a loop. One mail per recipient, Japanese and English in one text, from the
 * templates ({@link NoticeTemplates}). Sending is asynchronous and best effort: failures are
 * logged, never thrown into the workflow.
 */
public final class MailNotifier implements HoldNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(MailNotifier.class);
    private static final Session SESSION = Session.getInstance(new Properties());

    private final Upstream upstream;
    private final HoldSettings settings;
    private final NoticeTemplates templates;
    private final Clock clock;

    public MailNotifier(Upstream upstream, HoldSettings settings, Clock clock) {
        this.upstream = upstream;
        this.settings = settings;
        this.templates = new NoticeTemplates(settings.templateDirectory());
        this.clock = clock;
    }

    @Override
    public void notify(Notice n) {
        NoticeTemplates.Rendered text;
        try {
            text = templates.render(n.template(), n.values());
        } catch (RuntimeException e) {
            LOG.error("ref {}: cannot render notice {}: {}", n.referenceId(), n.template(), e.toString());
            return;
        }
        for (String to : n.to()) {
            try {
                send(n.referenceId(), n.template(), to, mail(n, text, to));
            } catch (IOException | RuntimeException e) {
                LOG.warn("ref {}: cannot send notice {} to {}: {}", n.referenceId(), n.template(),
                        NumberGuard.redact(to), e.toString());
            }
        }
    }

    @Override
    public void bounce(Bounce b) {
        Notice n = b.notice();
        try {
            NoticeTemplates.Rendered text = templates.render(n.template(), n.values());
            for (String to : n.to()) {
                send(n.referenceId(), n.template(), to, DeliveryStatusNotice.build(b, text, settings.noticeFrom(), to,
                        settings.hostname(), clock.instant(), settings.zone()));
            }
        } catch (RuntimeException e) {
            LOG.warn("ref {}: cannot send the bounce: {}", n.referenceId(), e.toString());
        }
    }

    /** Sends one built mail; the future completes when the upstream answered (for tests and shutdown). */
    CompletableFuture<SmtpReply> send(String ref, Template template, String to, byte[] mail) {
        CompletableFuture<SmtpReply> done;
        try {
            done = Relay.send(upstream, "", List.of(to), InputSource.of(mail)).thenApply(RelayResult::finalReply);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((reply, error) -> {
            if (error != null || reply == null || !reply.positive()) {
                LOG.warn("ref {}: notice {} to {} not delivered: {}", ref, template, NumberGuard.redact(to),
                        error != null ? error.toString() : String.valueOf(reply));
            } else {
                LOG.info("ref {}: notice {} sent to {}", ref, template, NumberGuard.redact(to));
            }
        });
    }

    private byte[] mail(Notice n, NoticeTemplates.Rendered text, String to) throws IOException {
        try {
            MimeMessage m = new MimeMessage(SESSION);
            m.setFrom(new InternetAddress(settings.noticeFrom(), "Mynaguard", "UTF-8"));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(to));
            m.setSubject(text.subject(), "UTF-8");
            m.setSentDate(Date.from(clock.instant()));
            // RFC 3834: an automatic message; auto-responders must not answer it.
            m.setHeader("Auto-Submitted", "auto-generated");
            m.setHeader("X-Mynaguard-Reference", n.referenceId());
            m.setText(text.body(), "UTF-8");
            m.saveChanges();
            m.setHeader("Message-ID", "<" + n.template().name().toLowerCase(Locale.ROOT) + "." + n.referenceId() + "."
                    + Long.toHexString(System.nanoTime()) + "@" + settings.hostname() + ">");
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IOException("cannot build the notice", e);
        }
    }
}
