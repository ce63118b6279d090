package jp.mynaguard.proxy.hold;

/**
 * A workflow action that was refused. The console turns {@link #reason()} into a localized page
 * and an HTTP status; the message is English for logs and never holds content.
 */
public final class WorkflowException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No such item, or one the actor may not know about (answered like not found). */
        NOT_FOUND,
        /** The actor may see the item but not do this (e.g. approve their own message). */
        FORBIDDEN,
        /** The item is no longer in a state that allows this (e.g. already approved). */
        CONFLICT
    }

    private final Reason reason;

    public WorkflowException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
