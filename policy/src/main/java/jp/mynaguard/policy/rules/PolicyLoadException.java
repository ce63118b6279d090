package jp.mynaguard.policy.rules;

import java.util.stream.Collectors;

/** The first load of a policy failed: there is no last good policy to keep running with. */
public final class PolicyLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient LoadResult result;

    public PolicyLoadException(LoadResult result) {
        super("invalid policy:\n" + result.errors().stream().map(Diagnostic::toString)
                .collect(Collectors.joining("\n")));
        this.result = result;
    }

    public LoadResult result() {
        return result;
    }
}
