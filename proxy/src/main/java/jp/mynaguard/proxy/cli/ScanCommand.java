package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.scan.ContentScanner;
import jp.mynaguard.policy.scan.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mynaguard scan}: inspect files the way the gateway inspects mail and uploads. */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Scans mail, HTTP requests and files for My Numbers; prints one JSON line per file.",
            "",
            "PATH may be a message (.eml), a raw HTTP request (.http), any other file or a directory",
            "(recursed). My Numbers (個人番号) and Corporate Numbers (法人番号) are reported.",
            "",
            "Numbers are shown masked (****-****-****). Only --reveal prints the digits; it is the one way",
            "digits ever leave Mynaguard, so use it only on data you may see, and never redirect it to a",
            "shared place.",
            "",
            "Exit status: 0 = nothing at or above --min-level and everything could be inspected;",
            "1 = something found at or above --min-level, something could not be inspected, or a path",
            "could not be read; 2 = usage error."})
public final class ScanCommand implements Callable<Integer> {
    @Option(names = "--reveal",
            description = "Also print each number's digits (\"value\"). Off by default.")
    boolean reveal;

    @Option(names = "--min-level", paramLabel = "LEVEL", defaultValue = "MEDIUM",
            description = "Lowest confidence that makes the exit status 1: LOW, MEDIUM or HIGH (default: ${DEFAULT-VALUE}). "
                    + "All findings are printed with their confidence either way.")
    Level minLevel;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to scan.")
    List<Path> paths = new ArrayList<>();

    private final PrintStream out;
    private final PrintStream err;

    public ScanCommand() {
        this(System.out, System.err);
    }

    ScanCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        ContentScanner scanner = ContentScanner.withDefaults();
        ScanReportJson json = new ScanReportJson(reveal);
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        boolean flagged = false;
        for (Path p : paths) {
            List<Path> files;
            try {
                files = filesUnder(p);
            } catch (CannotRead e) {
                err.println("mynaguard scan: " + e.getMessage());
                flagged = true;
                continue;
            }
            for (Path file : files) {
                ScanReport report;
                try (InputStream in = Files.newInputStream(file)) {
                    report = scanner.scan(formatOf(file), locationOf(file), file.getFileName().toString(), in);
                } catch (IOException e) {
                    err.println("mynaguard scan: cannot read " + file + ": " + reasonOf(e));
                    flagged = true;
                    continue;
                }
                json.write(w, file.toString(), report);
                w.flush();
                flagged |= report.flagged(minLevel);
            }
        }
        return flagged ? 1 : 0;
    }

    /**
     * The regular files at or below {@code p}, in a stable order. A path that cannot be read is
     * reported on stderr and yields nothing.
     */
    private List<Path> filesUnder(Path p) throws CannotRead {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new CannotRead(p, Files.exists(p) ? "not a regular file" : "no such file or directory");
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CannotRead(p, e.getMessage());
        }
    }

    /** A path given on the command line that cannot be read. */
    private static final class CannotRead extends Exception {
        private static final long serialVersionUID = 1L;

        CannotRead(Path p, String why) {
            super("cannot read " + p + ": " + why);
        }
    }

    static Format formatOf(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".eml")) {
            return Format.MESSAGE;
        }
        if (n.endsWith(".http")) {
            return Format.HTTP_REQUEST;
        }
        return null;
    }

    /** A message or request reports "body", "subject", "attachment:…"; a bare file reports its own name. */
    static String locationOf(Path file) {
        return formatOf(file) != null ? "" : file.getFileName().toString();
    }

    private static String reasonOf(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
