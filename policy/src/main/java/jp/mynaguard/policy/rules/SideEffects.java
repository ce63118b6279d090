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
 */
public record SideEffects(Set<NotifyTarget> notifyTargets, int bccWhenExternalAtLeast, Map<String, String> addHeaders,
                          String subjectTag) {
    public static final SideEffects NONE = new SideEffects(Set.of(), 0, Map.of(), "");

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
        if (bccWhenExternalAtLeast < 0) {
            throw new IllegalArgumentException("bccWhenExternalAtLeast must not be negative");
        }
    }

    public boolean isEmpty() {
        return notifyTargets.isEmpty() && bccWhenExternalAtLeast == 0 && addHeaders.isEmpty() && subjectTag.isEmpty();
    }
}
