package jp.mynaguard.proxy.smtp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one {@link Relay#send}: the upstream's reply to MAIL, to each RCPT (in the order
 * given), and the reply that ended the transaction.
 *
 * @param mailReply       reply to MAIL FROM
 * @param recipientReplies reply to RCPT TO per recipient; empty when MAIL was refused
 * @param finalReply      end-of-data reply; when the transaction ended earlier, the reply that
 *                        ended it (refused MAIL, or the "no valid recipients" failure)
 */
public record RelayResult(SmtpReply mailReply, Map<String, SmtpReply> recipientReplies, SmtpReply finalReply) {
    public RelayResult {
        recipientReplies = Collections.unmodifiableMap(new LinkedHashMap<>(recipientReplies));
    }

    /**
     * What happened for one recipient: its RCPT reply when that was a failure, otherwise the
     * final reply (the message reached the upstream for it only when that is positive).
     */
    public SmtpReply outcome(String recipient) {
        SmtpReply rcpt = recipientReplies.get(recipient);
        if (rcpt == null) {
            return finalReply;
        }
        return rcpt.positive() ? finalReply : rcpt;
    }

    /** Recipients the upstream took the message for. */
    public List<String> delivered() {
        List<String> out = new ArrayList<>();
        recipientReplies.keySet().forEach(r -> {
            if (outcome(r).positive()) {
                out.add(r);
            }
        });
        return out;
    }

    /** Recipients worth retrying later (4xx), e.g. by the release queue. */
    public List<String> deferred() {
        List<String> out = new ArrayList<>();
        recipientReplies.keySet().forEach(r -> {
            if (outcome(r).transientFailure()) {
                out.add(r);
            }
        });
        return out;
    }

    /** Recipients refused for good (5xx): the sender gets a bounce for these. */
    public List<String> failed() {
        List<String> out = new ArrayList<>();
        recipientReplies.keySet().forEach(r -> {
            if (outcome(r).permanentFailure()) {
                out.add(r);
            }
        });
        return out;
    }
}
