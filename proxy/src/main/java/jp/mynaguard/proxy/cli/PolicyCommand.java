package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jp.mynaguard.policy.detect.Detector;
import jp.mynaguard.policy.extract.ContentExtractor;
import jp.mynaguard.policy.extract.Limits;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Diagnostic;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.rules.PolicyEngine;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.policy.scan.ContentScanner;
import jp.mynaguard.policy.scan.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mynaguard policy check|test}: validate a policy, and see what it decides for a message. */
@Command(name = "policy",
        mixinStandardHelpOptions = true,
        description = {"Checks policy files, tests them against sample mail and uploads, and replays recorded traffic."},
        subcommands = {PolicyCommand.Check.class, PolicyCommand.Test.class, PolicyReplayCommand.class})
public final class PolicyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code policy check FILE...}. */
    @Command(name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Validates policy files: prints every error and warning as FILE:LINE:COLUMN: message,",
                "then one summary line per file.",
                "",
                "Exit status: 0 = every file is valid (warnings allowed); 1 = some file has errors."})
    public static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Policy files (YAML).")
        List<Path> files = new ArrayList<>();

        @Override
        public Integer call() {
            PrintStream out = System.out;
            PolicyLoader loader = new PolicyLoader(Clock.systemDefaultZone());
            boolean allValid = true;
            for (Path file : files) {
                LoadResult r = loader.load(file);
                for (Diagnostic d : r.diagnostics()) {
                    out.println(d);
                }
                out.println(summary(file, r));
                allValid &= r.ok();
            }
            return allValid ? 0 : 1;
        }

        private static String summary(Path file, LoadResult r) {
            int warnings = r.warnings().size();
            String w = warnings == 0 ? "" : ", " + count(warnings, "warning");
            if (!r.ok()) {
                return file + ": invalid (" + count(r.errors().size(), "error") + w + ")";
            }
            Policy p = r.policy().orElseThrow();
            return file + ": valid (version " + p.shortVersion() + "; " + count(p.rules().size(), "rule") + ", "
                    + count(p.flows().size(), "flow") + ", " + count(p.organization().users().size(), "user") + ", "
                    + count(p.organization().groups().size(), "group") + w + ")";
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }

    /** {@code policy test --policy FILE [--from ADDR] [--to ADDR]... [--user NAME] [--json] MESSAGE}. */
    @Command(name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Scans a message (.eml) or raw HTTP request (.http) and shows what the policy decides:",
                "the rule that matched, the action, the approvers it would ask, the findings (masked) and",
                "why the rules before it did not match. The envelope comes from the options, else from",
                "the message's From/To/Cc/Bcc headers or the request line and Host header.",
                "",
                "Exit status: 0 = decided; 1 = the policy is invalid or the message cannot be read;",
                "2 = usage error."})
    public static final class Test implements Callable<Integer> {
        @Option(names = "--policy", paramLabel = "FILE", required = true, description = "The policy file.")
        Path policyFile;

        @Option(names = "--from", paramLabel = "ADDR", description = "Sender address (default: the From header).")
        String from;

        @Option(names = "--to", paramLabel = "ADDR",
                description = "Recipient address; repeat for several (default: To, Cc and Bcc headers).")
        List<String> to = new ArrayList<>();

        @Option(names = "--user", paramLabel = "NAME",
                description = "Authenticated user (SMTP AUTH or proxy login), as the gateway would see it.")
        String user;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Parameters(paramLabel = "MESSAGE", description = "A .eml message or a .http raw HTTP request.")
        Path message;

        @Override
        public Integer call() throws IOException {
            PrintStream out = System.out;
            PrintStream err = System.err;
            if (ScanCommand.formatOf(message) == null) {
                err.println("mynaguard policy test: " + message + " must be a mail message (.eml) or a raw HTTP"
                        + " request (.http)");
                return 2;
            }
            LoadResult loaded = new PolicyLoader(Clock.systemDefaultZone()).load(policyFile);
            if (!loaded.ok()) {
                for (Diagnostic d : loaded.diagnostics()) {
                    err.println(d);
                }
                err.println("mynaguard policy test: " + policyFile + " is invalid; run 'mynaguard policy check'");
                return 1;
            }
            Policy policy = loaded.policy().orElseThrow();
            Envelope envelope;
            ScanReport scan;
            try {
                envelope = MessageEnvelope.of(message, new MessageEnvelope.Options(from, to, user));
                scan = scan(policy, message);
            } catch (IOException e) {
                err.println("mynaguard policy test: cannot read " + message + ": " + e.getMessage());
                return 1;
            }
            Decision decision = PolicyEngine.of(policy, Clock.systemDefaultZone())
                    .decide(envelope, scan.findings(), scan.unscannable());
            PolicyTestResult result = new PolicyTestResult(policyFile, policy, message, envelope, scan, decision);
            if (json) {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                DecisionJson.write(result, w);
                w.flush();
            } else {
                DecisionText.print(result, out);
            }
            return 0;
        }

        /** Scans with the detector as the policy tunes it (extra keywords), the way the gateway would. */
        private static ScanReport scan(Policy policy, Path message) throws IOException {
            ContentScanner scanner = new ContentScanner(new Detector(policy.detector().toDetectorConfig()),
                    new ContentExtractor(Limits.defaults()));
            try (InputStream in = Files.newInputStream(message)) {
                return scanner.scan(ScanCommand.formatOf(message), ScanCommand.locationOf(message),
                        message.getFileName().toString(), in);
            }
        }
    }
}
