package jp.mynaguard.proxy.hold;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jp.mynaguard.proxy.smtp.RelayResult;
import jp.mynaguard.proxy.smtp.SmtpReply;

/**
 * One release attempt, per recipient: accepted, to be retried (4xx, or no answer at all) or
 * refused for good (5xx). A refused MAIL FROM or a broken connection applies to everyone.
 */
final class ReleaseOutcome {
    final List<String> delivered = new ArrayList<>();
    final List<String> deferred = new ArrayList<>();
    final List<String> failed = new ArrayList<>();
    private final Map<String, SmtpReply> replies = new HashMap<>();
    final String lastError;

    private ReleaseOutcome(List<String> recipients, RelayResult r, String failure) {
        String error = null;
        for (String rcpt : recipients) {
            SmtpReply reply = r == null ? null
                    : r.recipientReplies().isEmpty() ? r.finalReply() : r.outcome(rcpt);
            replies.put(rcpt, reply);
            if (reply == null || reply.transientFailure()) {
                deferred.add(rcpt);
            } else if (reply.permanentFailure()) {
                failed.add(rcpt);
            } else {
                delivered.add(rcpt);
            }
            if (reply != null && !reply.positive()) {
                error = reply.toString();
            }
        }
        this.lastError = r == null ? failure : error;
    }

    static ReleaseOutcome of(List<String> recipients, RelayResult r, String failure) {
        return new ReleaseOutcome(recipients, r, failure);
    }

    /** What happened, for the transition's comment: counts and the last refusal (masked by the store). */
    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(delivered.size()).append(" accepted, ").append(deferred.size()).append(" deferred, ")
                .append(failed.size()).append(" refused");
        if (lastError != null) {
            sb.append(" (").append(lastError).append(')');
        }
        return sb.toString();
    }

    /**
     * The bounce's per-recipient lines.
     *
     * @param expired these were deferred until the retry period ran out (status 4.4.7)
     */
    List<HoldNotifier.FailedRecipient> failures(List<String> recipients, boolean expired) {
        List<HoldNotifier.FailedRecipient> out = new ArrayList<>();
        for (String rcpt : recipients) {
            SmtpReply reply = replies.get(rcpt);
            String status;
            if (expired) {
                status = "4.4.7";
            } else if (reply != null && reply.enhanced().matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
                status = reply.enhanced();
            } else {
                status = "5.0.0";
            }
            String diagnostic = reply != null ? reply.code() + (reply.enhanced().isEmpty() ? "" : " " + reply.enhanced())
                    + " " + String.join(" ", reply.lines())
                    : lastError != null ? lastError : "no answer from the mail server";
            out.add(new HoldNotifier.FailedRecipient(rcpt, status, MetadataMask.mask(diagnostic)));
        }
        return out;
    }
}
