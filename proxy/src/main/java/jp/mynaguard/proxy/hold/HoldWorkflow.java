package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What people do with held items, with every rule enforced here, on the server: who may see an
 * item, separation of duties (no approving one's own message, no approver who is a recipient),
 * the allowed state transitions, and recording every action (who, when, comment). The console
 * and its JSON API are thin layers over this interface.
 */
public interface HoldWorkflow {

    /** Items the actor sent, newest first. */
    List<HeldItem> sentBy(Actor actor, int limit) throws IOException;

    /** Items waiting for the actor's decision (including those escalated to them as backup), newest first. */
    List<HeldItem> awaiting(Actor actor, int limit) throws IOException;

    /** Admin and auditor search over all items. @throws WorkflowException FORBIDDEN for other roles */
    List<HeldItem> search(Actor actor, Query query) throws IOException, WorkflowException;

    /** The item as the actor may see it: metadata, findings (masked), approvers, history. */
    ItemDetail detail(Actor actor, String referenceId) throws IOException, WorkflowException;

    HeldItem approve(Actor actor, String referenceId, String comment) throws IOException, WorkflowException;

    HeldItem reject(Actor actor, String referenceId, String comment) throws IOException, WorkflowException;

    /** The sender cancels a timed hold or withdraws an approval request. */
    HeldItem cancel(Actor actor, String referenceId, String comment) throws IOException, WorkflowException;

    /**
     * The exact stored bytes, for a user with {@link Role#REVEAL} who may see the item; the reveal
     * is recorded before the stream is returned.
     */
    InputStream reveal(Actor actor, String referenceId) throws IOException, WorkflowException;

    /** Admin search filters; {@code null} or empty means any. */
    record Query(Set<HoldState> states, Instant from, Instant to, String sender, String rule, int limit) {
        public Query {
            states = states == null ? Set.of() : Set.copyOf(states);
        }
    }

    /** One state change or action (approve, reject, reveal, remind, escalate...). */
    record Transition(HoldState from, HoldState to, String action, String actor, Instant at, String comment) {
    }

    /** A finding as the console shows it: never digits. */
    record Finding(String type, String level, String location, String masked, String context) {
    }

    record Attachment(String name, long sizeBytes) {
    }

    /**
     * @param externalRecipients the recipients outside the organisation (marked in the console)
     * @param mayDecide          whether the viewing actor may approve or reject it now
     */
    record ItemDetail(HeldItem item, String subject, List<Attachment> attachments, List<Finding> findings,
                      List<String> approvers, List<String> backupApprovers, List<String> externalRecipients,
                      Instant expiresAt, List<Transition> history, boolean mayDecide) {
        public ItemDetail {
            attachments = List.copyOf(attachments);
            findings = List.copyOf(findings);
            approvers = List.copyOf(approvers);
            backupApprovers = List.copyOf(backupApprovers);
            externalRecipients = List.copyOf(externalRecipients);
            history = List.copyOf(history);
        }
    }
}
