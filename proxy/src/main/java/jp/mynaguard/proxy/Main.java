package jp.mynaguard.proxy;

import jp.mynaguard.proxy.cli.CaCommand;
import jp.mynaguard.proxy.cli.AuditCommand;
import jp.mynaguard.proxy.cli.HoldCommand;
import jp.mynaguard.proxy.cli.IncidentCommand;
import jp.mynaguard.proxy.cli.PolicyCommand;
import jp.mynaguard.proxy.cli.ScanCommand;
import jp.mynaguard.proxy.cli.ServeCommand;
import jp.mynaguard.proxy.cli.UserCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mynaguard} command line. */
@Command(name = "mynaguard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Mynaguard: outbound My Number (個人番号) protection gateway for mail and web uploads.",
            "Finds My Numbers in outgoing mail and uploads and applies the organisation's policy."},
        subcommands = {ServeCommand.class, ScanCommand.class, PolicyCommand.class, UserCommand.class, HoldCommand.class,
            CaCommand.class, AuditCommand.class, IncidentCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    @Override
    public void run() {
        // No subcommand: show what there is.
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mynaguard " + (v == null ? "development build" : v)};
        }
    }
}
