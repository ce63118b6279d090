package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;

import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.Organization;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.proxy.audit.AuditFiles;
import jp.mynaguard.proxy.audit.IncidentReport;
import jp.mynaguard.proxy.audit.IncidentReportFormat;
import jp.mynaguard.proxy.audit.TimeArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mynaguard incident report}: the draft of a report to the 個人情報保護委員会, from the audit trail. */
@Command(name = "incident",
        mixinStandardHelpOptions = true,
        description = {"Drafts incident reports from the audit trail."},
        subcommands = {IncidentCommand.Report.class})
public final class IncidentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code incident report --from DATE --to DATE}. */
    @Command(name = "report",
            mixinStandardHelpOptions = true,
            description = {
                "Per incident and in total: when it was detected, channel, sender and department, recipients or",
                "destination (inside or outside), the number of My Numbers (distinct per message), whether it left",
                "the company (allowed, released) or was stopped (blocked, held), which rule; with space for the",
                "cause, secondary damage, notice to the persons and prevention measures. No digits of any number.",
                "",
                "Exit status: 0 = written (also when there was no incident); 2 = bad arguments or unreadable files."})
    public static final class Report implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start (2025-04-01, 2025-04-01T09:30, 30d).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "End, inclusive (a bare date means its end; default: now).")
        String to;

        @Option(names = "--format", defaultValue = "md", description = "md, csv or json (default: md).")
        IncidentReportFormat format;

        @Option(names = "--audit", paramLabel = "DIR", description = "The audit directory (default: data/audit).")
        Path audit = Paths.get("data", "audit");

        @Option(names = "--policy", paramLabel = "FILE",
                description = "The policy, to name departments by their group descriptions.")
        Path policy;

        @Option(names = "--all", description = "Every decision with My Numbers, not only those flagged as incidents.")
        boolean all;

        @Option(names = "--zone", description = "Time zone of the report and of bare dates (default: this machine's).")
        ZoneId zone = ZoneId.systemDefault();

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of the terminal.")
        Path output;

        @Override
        public Integer call() {
            Instant f;
            Instant t;
            try {
                f = TimeArg.parse(from, zone, Clock.systemUTC(), false);
                t = to == null ? Instant.now() : TimeArg.parse(to, zone, Clock.systemUTC(), true);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            if (t.isBefore(f)) {
                System.err.println("--to is before --from");
                return 2;
            }
            try {
                Organization org = null;
                if (policy != null) {
                    LoadResult r = PolicyLoader.withSystemClock().load(policy);
                    if (!r.ok()) {
                        System.err.println(policy + ": the policy has errors; check it with 'mynaguard policy check'");
                        return 2;
                    }
                    org = r.policy().orElseThrow().organization();
                }
                List<Path> files = Files.isDirectory(audit) ? AuditFiles.list(audit) : List.of();
                if (files.isEmpty()) {
                    System.err.println("no audit files in " + audit);
                    return 2;
                }
                String text = format.render(IncidentReport.read(files, f, t, all, org), zone);
                if (output != null) {
                    Files.writeString(output, text, StandardCharsets.UTF_8);
                } else {
                    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
                    out.print(text);
                    out.flush();
                }
                return 0;
            } catch (IOException e) {
                System.err.println("cannot read the audit trail or write the report: " + e);
                return 2;
            }
        }
    }
}
