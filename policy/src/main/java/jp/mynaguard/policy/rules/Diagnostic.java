package jp.mynaguard.policy.rules;

import java.util.Objects;

/**
 * One problem found while loading a policy, printed as {@code FILE:LINE:COLUMN: message} (errors)
 * or {@code FILE:LINE:COLUMN: warning: message}, the form compilers use so editors can jump to it.
 *
 * <p>Messages never quote a value that might be a number from a message or a policy: they name
 * keys, kinds and shapes only.
 */
public record Diagnostic(Location location, Severity severity, String message) {

    public enum Severity { ERROR, WARNING }

    public Diagnostic {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Diagnostic error(Location location, String message) {
        return new Diagnostic(location, Severity.ERROR, message);
    }

    public static Diagnostic warning(Location location, String message) {
        return new Diagnostic(location, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return location + (isError() ? ": " : ": warning: ") + message;
    }
}
