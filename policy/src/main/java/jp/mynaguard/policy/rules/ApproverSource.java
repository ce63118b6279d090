package jp.mynaguard.policy.rules;

import java.util.Objects;

/**
 * Where approvers come from, written in a policy as {@code sender_group}, {@code manager},
 * {@code group:NAME} or a user's address.
 *
 * @param kind what to look up
 * @param ref  the group name or user address for {@link Kind#GROUP} and {@link Kind#USER}, else empty
 */
public record ApproverSource(Kind kind, String ref) {

    public enum Kind {
        /** The approvers of every group the sender belongs to. */
        SENDER_GROUP,
        /** The sender's manager (上長). */
        MANAGER,
        /** The approvers of a named group. */
        GROUP,
        /** A named user. */
        USER
    }

    public static final ApproverSource SENDER_GROUP_APPROVERS = new ApproverSource(Kind.SENDER_GROUP, "");
    public static final ApproverSource MANAGER = new ApproverSource(Kind.MANAGER, "");

    public ApproverSource {
        Objects.requireNonNull(kind, "kind");
        ref = ref == null ? "" : ref;
    }

    public static ApproverSource group(String name) {
        return new ApproverSource(Kind.GROUP, name);
    }

    public static ApproverSource user(String address) {
        return new ApproverSource(Kind.USER, address);
    }

    /** The policy spelling. */
    @Override
    public String toString() {
        switch (kind) {
            case SENDER_GROUP:
                return "sender_group";
            case MANAGER:
                return "manager";
            case GROUP:
                return "group:" + ref;
            default:
                return ref;
        }
    }
}
