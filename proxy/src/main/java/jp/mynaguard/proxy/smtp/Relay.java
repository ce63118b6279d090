package jp.mynaguard.proxy.smtp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import jp.mynaguard.policy.extract.InputSource;

/**
 * Sends one message in one go, for senders that are not a live SMTP session: the release of a
 * held message, and notification mail. Like {@link Upstream} itself, the future never completes
 * exceptionally: failures are replies in the {@link RelayResult}.
 */
public final class Relay {
    private Relay() {
    }

    /**
     * MAIL FROM {@code mailFrom}, RCPT TO each of {@code recipients} (duplicates sent once),
     * then DATA with {@code content} when at least one recipient was accepted.
     *
     * @param content the message exactly as it is to be delivered (CRLF line ends, not dot-stuffed);
     *                the caller keeps it open until the future completes
     */
    public static CompletableFuture<RelayResult> send(Upstream upstream, String mailFrom, List<String> recipients,
                                                      InputSource content) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(mailFrom, "mailFrom");
        Objects.requireNonNull(content, "content");
        List<String> rcpts = recipients.stream().distinct().toList();
        if (rcpts.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        return upstream.begin(mailFrom, Map.of()).thenCompose(tx -> {
            SmtpReply mail = tx.mailReply();
            if (!mail.positive()) {
                return CompletableFuture.completedFuture(new RelayResult(mail, Map.of(), mail));
            }
            Map<String, CompletableFuture<SmtpReply>> pending = new LinkedHashMap<>();
            for (String r : rcpts) {
                // Issued back to back: a pipelining upstream gets them in one round trip.
                pending.put(r, tx.rcpt(r));
            }
            return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenCompose(v -> {
                Map<String, SmtpReply> replies = new LinkedHashMap<>();
                pending.forEach((r, f) -> replies.put(r, f.join()));
                if (replies.values().stream().noneMatch(SmtpReply::positive)) {
                    tx.abort();
                    return CompletableFuture.completedFuture(new RelayResult(mail, replies, noneAccepted(replies)));
                }
                return tx.data(content).thenApply(end -> new RelayResult(mail, replies, end));
            });
        });
    }

    /** With every RCPT refused: a temporary failure if any refusal was temporary (a retry may help). */
    private static SmtpReply noneAccepted(Map<String, SmtpReply> replies) {
        return replies.values().stream()
                .filter(SmtpReply::transientFailure)
                .findFirst()
                .orElse(replies.values().iterator().next());
    }
}
