package jp.mynaguard.proxy.smtp;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.audit.DecisionRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP side of the audit trail: the decision record of a message, and the gate that refuses
 * (451) to decide while the trail cannot take records: a decision that could not be recorded is
 * not made.
 */
final class SmtpAudit implements MessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(SmtpAudit.class);
    static final SmtpReply AUDIT_UNAVAILABLE = SmtpReply.of(451, "4.3.0",
            "Audit trail unavailable, try again later");

    private final AuditSink audit;
    private final MessageProcessor next;

    SmtpAudit(AuditSink audit, MessageProcessor next) {
        this.audit = audit;
        this.next = next;
    }

    @Override
    public CompletableFuture<SmtpReply> process(Submission s) {
        if (audit.accepting()) {
            return next.process(s);
        }
        log.warn("ref {}: the audit trail takes no records now, answering 451", s.referenceId());
        if (s.upstream() != null) {
            s.upstream().abort();
        }
        s.message().close();
        return CompletableFuture.completedFuture(AUDIT_UNAVAILABLE);
    }

    /** The decision record: the envelope as the engine saw it, the findings, the rule, what became of it. */
    static AuditEvent decision(Submission s, MessageInspector.Inspection in, SmtpReply r, Instant now) {
        // The same envelope MessageInspector decided on, built again rather than kept on the hot path.
        Envelope.Builder env = Envelope.smtp()
                .sender(in.senderAddress())
                .authenticatedUser(s.identity().userName())
                .recipients(s.recipients())
                .size(s.clientBytes());
        for (Envelope.Attachment a : in.headers().attachments()) {
            env.attachment(a.name(), a.contentType());
        }
        return DecisionRecord.of(s.referenceId(), now, env.build(), in.decision(), in.scan())
                .field("client", s.client())
                .field("outcome", outcome(in.decision().enforced().action(), r))
                .field("reply", r.code())
                .build();
    }

    /** What became of the message: delivered, refused, held, or not delivered (the client keeps it). */
    static String outcome(Action action, SmtpReply r) {
        if (!r.positive()) {
            return r.code() >= 500 && action == Action.BLOCK ? "refused" : "not-delivered";
        }
        return action == Action.ALLOW ? "delivered" : "held";
    }
}
