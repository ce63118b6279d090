package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Tells people about held items: approvers that something waits for them, the sender what
 * became of their message, admins what needs them. {@link MailNotifier} sends mail from
 * editable templates; values are never content and never digits of a number. Best effort:
 * sending never throws and never holds up the workflow.
 */
public interface HoldNotifier {
    HoldNotifier NONE = new HoldNotifier() {
        @Override
        public void notify(Notice notice) {
        }

        @Override
        public void bounce(Bounce bounce) {
        }
    };

    void notify(Notice notice);

    /** A delivery status notification (RFC 3464) to the sender of a release that failed for good. */
    void bounce(Bounce bounce);

    /** The notices there are; each is a template file {@code NAME.txt}. */
    enum Template {
        /** To the approvers: an item waits for them (a link, no content). */
        APPROVAL_REQUEST,
        /** To the approvers: it still waits and expires soon. */
        APPROVAL_REMINDER,
        /** To the backups: the approvers have not acted, they may decide now. */
        APPROVAL_ESCALATION,
        /** To the admins (security team): a quarantined item waits for review. */
        QUARANTINE_REVIEW,
        /** To the admins: an approval found nobody eligible and was blocked or quarantined. */
        NO_APPROVER,
        /** To the sender: the message is held (when the rule did not notify them already). */
        SENDER_HELD,
        /** To the sender: approved (with the approver's comment); it goes out now. */
        SENDER_APPROVED,
        /** To the sender: rejected, with the approver's comment. */
        SENDER_REJECTED,
        /** To the sender: nobody decided in time; what happened then. */
        SENDER_EXPIRED,
        /** The human-readable part of the bounce to the sender. */
        SENDER_BOUNCED;

        /** The template's file name, e.g. {@code approval-request.txt}. */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-') + ".txt";
        }
    }

    /**
     * One notice to some addresses.
     *
     * @param values the template's placeholders ({@code {{name}}}); masked again when rendered
     */
    record Notice(Template template, String referenceId, List<String> to, Map<String, String> values) {
        public Notice {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(referenceId, "referenceId");
            to = List.copyOf(to);
            values = Map.copyOf(values);
        }
    }

    /** A recipient the smarthost refused for good (or gave up on), with its reply. */
    record FailedRecipient(String address, String status, String diagnostic) {
    }

    /**
     * @param notice          the SENDER_BOUNCED notice (to the sender)
     * @param arrival         when the message was first received
     * @param failed          the recipients it could not be delivered to
     * @param originalHeaders the held message's header block, masked (the report's third part; never the body)
     */
    record Bounce(Notice notice, Instant arrival, List<FailedRecipient> failed, String originalHeaders) {
        public Bounce {
            failed = List.copyOf(failed);
        }
    }
}
