package jp.mynaguard.proxy.hold;

import java.time.Instant;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;

/**
 * The audit records of the workflow: people's actions ({@code console}), the gateway's own
 * transitions ({@code hold}: timed release, remind, escalate, expire, purge, refused approval),
 * releases and bounces. Reference ids, rule names, states, counts and masked comments only.
 */
final class WorkflowAudit {
    /** Type of the gateway's own workflow transitions. */
    static final String HOLD = "hold";

    private final AuditSink sink;

    WorkflowAudit(AuditSink sink) {
        this.sink = sink;
    }

    /** A person's action that happened. */
    void action(Actor actor, String action, StoredItem before, HoldState to, String comment, Instant at) {
        record(AuditEvent.of(AuditEvent.CONSOLE).time(at).ref(before.referenceId()).user(actor.login()).action(action)
                .field("outcome", "done").field("kind", before.kind().name()).field("rule", before.item().rule())
                .field("from", before.state().name()).field("to", to.name())
                .field("comment", comment == null ? null : MetadataMask.mask(comment)).build());
    }

    /** A person's action that was refused (who tried what, and why). */
    void refused(Actor actor, String action, String ref, WorkflowException.Reason reason, String why, Instant at) {
        // The id is what the user typed: masked like anything else taken from people.
        record(AuditEvent.of(AuditEvent.CONSOLE).time(at).ref(MetadataMask.mask(ref)).user(actor.login()).action(action)
                .field("outcome", "refused").field("reason", reason.name()).field("detail", why).build());
    }

    /** One of the gateway's own transitions or actions. */
    void system(String action, StoredItem item, HoldState to, Instant at, String detail) {
        record(AuditEvent.of(HOLD).time(at).ref(item.referenceId()).user(Actor.SYSTEM.login()).action(action)
                .field("kind", item.kind().name()).field("rule", item.item().rule())
                .field("from", item.state().name()).field("to", to.name()).field("detail", detail).build());
    }

    void event(AuditEvent e) {
        record(e);
    }

    private void record(AuditEvent e) {
        try {
            sink.record(e);
        } catch (RuntimeException ex) {
            // The sink reports its own failures; the workflow goes on.
        }
    }
}
