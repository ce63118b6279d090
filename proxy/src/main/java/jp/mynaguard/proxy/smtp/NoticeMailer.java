package jp.mynaguard.proxy.smtp;

import java.util.List;
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
            done = Relay.send(upstream, "", List.of(to), InputSource.of(message)).thenApply(RelayResult::finalReply);
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
