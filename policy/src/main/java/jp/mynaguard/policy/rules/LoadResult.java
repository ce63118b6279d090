package jp.mynaguard.policy.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of loading a policy: the policy if there was no error, and every diagnostic
 * (errors and warnings, sorted by file and position).
 *
 * @param policy      the loaded policy, empty when there was any error
 * @param diagnostics all errors and warnings
 * @param version     SHA-256 (hex) of the files read, also for a rejected policy (for the console)
 * @param files       every file the load tried to read, the policy first (also ones that were missing),
 *                    so a reloader knows what to watch even after a failed load
 */
public record LoadResult(Optional<Policy> policy, List<Diagnostic> diagnostics, String version, List<Path> files) {
    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
        files = List.copyOf(files);
    }

    public boolean ok() {
        return policy.isPresent();
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
