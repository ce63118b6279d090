package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jp.mynaguard.proxy.audit.AuditFiles;
import jp.mynaguard.proxy.audit.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mynaguard audit verify|search}: check the audit trail for tampering, and find records in it. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        description = {"Verifies the tamper-evident audit trail and searches it."},
        subcommands = {AuditCommand.Verify.class, AuditSearchCommand.class})
public final class AuditCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code audit verify FILE|DIR...}. */
    @Command(name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Checks audit files: records numbered without gaps, each chained to the one before (SHA-256),",
                "checkpoints signed by the gateway's key (Ed25519), the end where the signed head says.",
                "Reports the FIRST altered, removed, reordered or cut-off record as FILE:LINE: what is wrong.",
                "",
                "Exit status: 0 = intact; 1 = tampered or damaged; 2 = the files could not be read."})
    public static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*",
                description = "Audit files (audit-*.jsonl) or the audit directory, oldest first.")
        List<Path> args = new ArrayList<>();

        @Option(names = "--key", paramLabel = "FILE",
                description = "Public signing key (default: audit-signing.pub beside the files).")
        Path key;

        @Option(names = "--no-head", description = "Do not hold the end of the log against audit.head.")
        boolean noHead;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            try {
                List<Path> files = AuditFiles.expand(args);
                if (files.isEmpty()) {
                    System.err.println("no audit files in " + args);
                    return 2;
                }
                for (Path f : files) {
                    if (!Files.isRegularFile(f)) {
                        System.err.println(f + ": no such file");
                        return 2;
                    }
                }
                Path dir = Files.isDirectory(args.get(0)) ? args.get(0) : files.get(0).toAbsolutePath().getParent();
                AuditVerifier.Result r = AuditVerifier.forDirectory(dir, key, !noHead).verify(files);
                if (!r.intact()) {
                    out.println("TAMPERED OR DAMAGED / 改ざんまたは破損: " + r.problemAt() + ": " + r.problem());
                    out.println("  intact before it: " + r.records() + " record(s) in " + r.files() + " file(s)"
                            + (r.records() > 0 ? ", records " + r.firstSeq() + ".." + r.lastSeq() : "")
                            + "; nothing after it can be trusted");
                    r.notes().forEach(n -> out.println("  note: " + n));
                    return 1;
                }
                out.println("intact / 改ざんなし: " + r.records() + " records in " + r.files() + " file(s), records "
                        + r.firstSeq() + ".." + r.lastSeq() + ", " + r.firstTime() + " .. " + r.lastTime() + ", "
                        + r.checkpoints() + " checkpoints"
                        + (r.keyId() == null ? "" : ", signing key " + r.keyId()));
                r.notes().forEach(n -> out.println("  note: " + n));
                return 0;
            } catch (IOException | RuntimeException e) {
                System.err.println("cannot verify: " + e.getMessage());
                return 2;
            }
        }
    }
}
