package jp.mynaguard.policy.rules;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What may accompany any action.
 *
 * @param notifyTargets            who is told
 * @param bccWhenExternalAtLeast   convert To/Cc to Bcc when the message has at least this many
 *                                 external recipients (misdirection guard); 0 = never
 * @param addHeaders               header fields added to the delivered message
 * @param subjectTag               prefix added to the subject, e.g. {@code [要確認]}; empty = none
 * @param incident                 whether a decision by this rule is an incident (alert the security
 *                                 team at once): {@code incident: true|false}; not written = the
 *                                 gateway's built-in criteria decide
 */
public record SideEffects(Set<NotifyTarget> notifyTargets, int bccWhenExternalAtLeast, Map<String, String> addHeaders,
                          String subjectTag, Incident incident) {
    public static final SideEffects NONE = new SideEffects(Set.of(), 0, Map.of(), "", Incident.AUTO);

    /** The {@code incident} flag of a rule. */
    public enum Incident {
        /** Not written: the gateway's built-in criteria decide (HIGH findings to outside, bulk numbers, ...). */
        AUTO,
        /** {@code incident: true}: every decision by the rule is an incident. */
        YES,
        /** {@code incident: false}: never an incident, even when the built-in criteria would say so. */
        NO
    }

    /** Without an incident flag ({@link Incident#AUTO}). */
    public SideEffects(Set<NotifyTarget> notifyTargets, int bccWhenExternalAtLeast, Map<String, String> addHeaders,
                       String subjectTag) {
        this(notifyTargets, bccWhenExternalAtLeast, addHeaders, subjectTag, Incident.AUTO);
    }

    /** Who a notice goes to. */
    public enum NotifyTarget {
        SENDER, APPROVERS, SECURITY;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public SideEffects {
        notifyTargets = OrderedSets.of(NotifyTarget.class, notifyTargets);
        addHeaders = Map.copyOf(addHeaders);
        subjectTag = subjectTag == null ? "" : subjectTag;
        incident = incident == null ? Incident.AUTO : incident;
        if (bccWhenExternalAtLeast < 0) {
            throw new IllegalArgumentException("bccWhenExternalAtLeast must not be negative");
        }
    }

    public boolean isEmpty() {
        return notifyTargets.isEmpty() && bccWhenExternalAtLeast == 0 && addHeaders.isEmpty() && subjectTag.isEmpty()
                && incident == Incident.AUTO;
    }
}
