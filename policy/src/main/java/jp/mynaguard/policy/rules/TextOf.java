package jp.mynaguard.policy.rules;

import java.util.List;
import java.util.stream.Collectors;

/** Plain-text renderings shared by logs and the command line. */
public final class TextOf {
    private TextOf() {
    }

    /** One diagnostic per line, {@code FILE:LINE:COLUMN: message}. */
    public static String diagnostics(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
    }
}
