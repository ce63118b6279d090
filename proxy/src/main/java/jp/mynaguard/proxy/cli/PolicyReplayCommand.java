package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import jp.mynaguard.policy.rules.Diagnostic;
import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.proxy.audit.AuditFiles;
import jp.mynaguard.proxy.audit.AuditLimits;
import jp.mynaguard.proxy.audit.PolicyReplay;
import jp.mynaguard.proxy.audit.TimeArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mynaguard policy replay}: what a new policy would have decided for recent traffic. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Decides the recorded decisions of recent traffic again under another policy (from the envelope and",
            "finding counts in the audit trail; content is never kept) and prints what would change, per rule",
            "and action, with example reference ids. Use it before switching a rule from audit to enforce.",
            "",
            "Exit status: 0 = nothing would change; 1 = some decisions would change; 2 = bad arguments,",
            "an invalid policy or unreadable files."})
public final class PolicyReplayCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy to try.")
    Path policy;

    @Option(names = "--since", required = true, paramLabel = "TIME", description = "From (7d, 24h, 2025-04-01, ...).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "To, inclusive (default: now).")
    String until;

    @Option(names = "--audit", paramLabel = "DIR", description = "The audit directory (default: data/audit).")
    Path audit = Paths.get("data", "audit");

    @Option(names = "--examples", description = "Example reference ids per change (default: ${DEFAULT-VALUE}).")
    int examples = AuditLimits.REPLAY_EXAMPLES;

    @Option(names = "--zone", description = "Time zone of bare dates (default: this machine's).")
    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Instant from;
        Instant to;
        try {
            from = TimeArg.parse(since, zone, Clock.systemUTC(), false);
            to = until == null ? null : TimeArg.parse(until, zone, Clock.systemUTC(), true);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        LoadResult loaded = PolicyLoader.withSystemClock().load(policy);
        if (!loaded.ok()) {
            for (Diagnostic d : loaded.errors()) {
                System.err.println(d);
            }
            System.err.println(policy + ": invalid; nothing replayed");
            return 2;
        }
        Policy p = loaded.policy().orElseThrow();
        if (!Files.isDirectory(audit)) {
            System.err.println("no audit directory " + audit);
            return 2;
        }
        PolicyReplay.Result r;
        try {
            r = PolicyReplay.run(AuditFiles.list(audit), from, to, p, Math.max(0, examples));
        } catch (IOException e) {
            System.err.println("cannot read the audit trail: " + e);
            return 2;
        }
        out.println("replay under " + policy + " (version " + p.shortVersion() + "): " + r.replayed() + " decision(s)"
                + (r.first() == null ? "" : " from " + r.first() + " to " + r.last()));
        out.println("  unchanged: " + r.unchanged() + ", would change: " + (r.replayed() - r.unchanged())
                + (r.skipped() > 0 ? ", skipped (no decision inputs recorded): " + r.skipped() : ""));
        if (!r.changes().isEmpty()) {
            out.println();
            out.println("changes (recorded rule (action) -> new rule (action)):");
            for (PolicyReplay.Change c : r.changes()) {
                out.println("  " + c.before() + " -> " + c.after() + ": " + c.count()
                        + (c.examples().isEmpty() ? "" : "   e.g. " + String.join(", ", c.examples())));
            }
        }
        out.println();
        out.println("actions (recorded -> new):");
        for (String a : new TreeSet<>(union(r.actionsBefore(), r.actionsAfter()))) {
            out.println("  " + a + ": " + r.actionsBefore().getOrDefault(a, 0) + " -> " + r.actionsAfter().getOrDefault(a, 0));
        }
        if (!r.auditBefore().isEmpty() || !r.auditAfter().isEmpty()) {
            out.println();
            out.println("audit-mode rules, decisions they would have acted on (recorded -> new):");
            for (String a : new TreeSet<>(union(r.auditBefore(), r.auditAfter()))) {
                out.println("  " + a + ": " + r.auditBefore().getOrDefault(a, 0) + " -> " + r.auditAfter().getOrDefault(a, 0));
            }
        }
        out.println();
        out.println("note: allow-list shapes and detector keywords are not replayed (no content or digits are kept).");
        return r.replayed() == r.unchanged() ? 0 : 1;
    }

    private static java.util.Set<String> union(Map<String, Integer> a, Map<String, Integer> b) {
        java.util.Set<String> s = new TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }
}
