package jp.mynaguard.proxy.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jp.mynaguard.policy.rules.Diagnostic;
import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.proxy.console.PolicyStatus;

/** The console's view of the running gateway's policy: {@link PolicyRuntime} as a {@link PolicyStatus.Source}. */
final class ConsolePolicyStatus implements PolicyStatus.Source {
    private final PolicyRuntime runtime;

    ConsolePolicyStatus(PolicyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public PolicyStatus status() {
        Policy p = runtime.get().policy();
        Optional<LoadResult> rejected = runtime.lastRejected();
        return new PolicyStatus(p.shortVersion(), p.name(), runtime.activatedAt(),
                p.sources().stream().map(Path::toString).toList(),
                rejected.map(LoadResult::version).map(v -> v.length() > 12 ? v.substring(0, 12) : v).orElse(null),
                rejected.map(r -> r.errors().stream().map(Diagnostic::toString).toList()).orElse(List.of()));
    }

    @Override
    public PolicyStatus reload() {
        runtime.reload();
        return status();
    }
}
