package jp.mynaguard.proxy.audit;

import java.nio.file.Path;
import java.util.List;

import jp.mynaguard.policy.rules.Diagnostic;
import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.Policy;

/** Audit records of policy loads: accepted (which version replaced which) or rejected (and why, file:line:column). */
public final class PolicyReloadRecord {
    private PolicyReloadRecord() {
    }

    /** A policy became active; {@code previous} is {@code null} at start. */
    public static AuditEvent accepted(Policy policy, LoadResult result, Policy previous) {
        return AuditEvent.of(AuditEvent.POLICY_RELOAD)
                .field("accepted", true)
                .field("initial", previous == null)
                .field("version", policy.version())
                .field("previousVersion", previous == null ? null : previous.version())
                .field("name", policy.name())
                .field("files", files(result.files()))
                .field("warnings", messages(result.warnings()))
                .build();
    }

    /** A load failed; {@code stillActive} is {@code null} when there was no policy yet (the gateway does not start). */
    public static AuditEvent rejected(LoadResult result, Policy stillActive) {
        return AuditEvent.of(AuditEvent.POLICY_RELOAD)
                .field("accepted", false)
                .field("version", result.version())
                .field("activeVersion", stillActive == null ? null : stillActive.version())
                .field("files", files(result.files()))
                .field("errors", messages(result.errors()))
                .build();
    }

    private static List<String> files(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }

    private static List<String> messages(List<Diagnostic> d) {
        return d.isEmpty() ? null : d.stream().map(Diagnostic::toString).toList();
    }
}
