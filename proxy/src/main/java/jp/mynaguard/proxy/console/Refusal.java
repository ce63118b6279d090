package jp.mynaguard.proxy.console;

import jp.mynaguard.proxy.hold.WorkflowException;

/**
 * A request the console answers with an error: the HTTP status and the message key of the page
 * (or the API's {@code error} code). Thrown by {@link ConsoleActions}; never carries content.
 */
final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;
    /** {@code forbidden}, {@code notFound}, {@code conflict}, {@code badRequest}. */
    final String code;

    Refusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static Refusal forbidden(String what) {
        return new Refusal(403, "forbidden", what);
    }

    static Refusal badRequest(String what) {
        return new Refusal(400, "badRequest", what);
    }

    static Refusal notFound(String what) {
        return new Refusal(404, "notFound", what);
    }

    static Refusal of(WorkflowException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> new Refusal(404, "notFound", e.getMessage());
            case FORBIDDEN -> new Refusal(403, "forbidden", e.getMessage());
            case CONFLICT -> new Refusal(409, "conflict", e.getMessage());
        };
    }

    /** The error page's message key prefix. */
    String pageKey() {
        return "error." + code;
    }
}
