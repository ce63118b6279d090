package jp.mynaguard.proxy.smtp;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.NumberGuard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notices through the same {@link Upstream} as allowed mail, from the null sender
 * ({@code MAIL FROM:<>}, like a bounce) so that a failing notice can never bounce back into a loop.
 * Best effort: the client's reply never waits for a notice.
 */
final class NoticeMailer {
    private static final Logger log = LoggerFactory.getLogger(NoticeMailer.class);

    private final Upstream upstream;

    NoticeMailer(Upstream upstream) {
        this.upstream = upstream;
    }

    CompletableFuture<SmtpReply> send(String referenceId, String to, byte[] message) {
        CompletableFuture<SmtpReply> done;
        try {
            done = upstream.begin("", Map.of()).thenCompose(t -> {
                if (!t.mailReply().positive()) {
                    return CompletableFuture.completedFuture(t.mailReply());
                }
                return t.rcpt(to).thenCompose(r -> {
                    if (!r.positive()) {
                        t.abort();
                        return CompletableFuture.completedFuture(r);
                    }
                    return t.data(InputSource.of(message));
                });
            });
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((reply, error) -> {
            if (error != null || reply == null || !reply.positive()) {
                log.warn("ref {}: notice to {} not delivered: {}", referenceId, NumberGuard.redact(to),
                        error != null ? error.toString() : String.valueOf(reply));
            } else {
                log.info("ref {}: notice sent to {}", referenceId, NumberGuard.redact(to));
            }
        });
    }
}
