package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jp.mynaguard.proxy.audit.AuditFiles;
import jp.mynaguard.proxy.audit.AuditQuery;
import jp.mynaguard.proxy.audit.AuditText;
import jp.mynaguard.proxy.audit.TimeArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mynaguard audit search}: the records for "ref ABC123", a user, a rule, a day. */
@Command(name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Finds audit records by time, user, rule, action, reference id, type or channel (all given",
            "filters must match; text ignores case). Prints a table, or the records themselves with --json.",
            "",
            "Exit status: 0 = something found; 1 = nothing found; 2 = bad arguments or unreadable files."})
public final class AuditSearchCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Audit files or the audit directory.")
    List<Path> args = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME", description = "From (2025-04-01, 2025-04-01T09:30, 7d = 7 days ago).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "To, inclusive (a bare date means its end).")
    String to;

    @Option(names = "--user", description = "User name or sender address.")
    String user;

    @Option(names = "--rule", description = "Rule name (the deciding rule or an audit-mode rule that matched).")
    String rule;

    @Option(names = "--action", description = "allow, block, quarantine, hold, approve, or a console action.")
    String action;

    @Option(names = "--ref", description = "Reference id, e.g. ABC23XYZ.")
    String ref;

    @Option(names = "--type", description = "Record type: decision, console, release, bounce, policy (.reload), tunnel, ...")
    String type;

    @Option(names = "--channel", description = "smtp or http.")
    String channel;

    @Option(names = "--zone", description = "Time zone of the table and of bare dates (default: this machine's).")
    ZoneId zone = ZoneId.systemDefault();

    @Option(names = "--json", description = "Print the matching records as JSON lines, exactly as stored.")
    boolean json;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        AuditQuery q;
        try {
            Clock clock = Clock.systemUTC();
            Instant f = from == null ? null : TimeArg.parse(from, zone, clock, false);
            Instant t = to == null ? null : TimeArg.parse(to, zone, clock, true);
            q = new AuditQuery(f, t, user, rule, action, ref, type, channel);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        List<AuditQuery.Found> found = new ArrayList<>();
        long unreadable;
        try {
            List<Path> files = AuditFiles.expand(args);
            unreadable = q.scan(files, json ? r -> out.println(new String(r.bytes(), StandardCharsets.UTF_8)) : found::add);
        } catch (IOException e) {
            System.err.println("cannot read the audit files: " + e.getMessage());
            return 2;
        }
        if (!json) {
            table(found, out);
        }
        if (unreadable > 0) {
            System.err.println(unreadable + " line(s) are not records; run 'mynaguard audit verify'");
        }
        return found.isEmpty() && !json ? 1 : 0;
    }

    private void table(List<AuditQuery.Found> found, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"日時 time", "種別 type", "ref", "利用者 user", "処置 action", "ルール rule", "内容 details"});
        for (AuditQuery.Found r : found) {
            Instant t = r.time();
            rows.add(new String[] {t == null ? "?" : WHEN.format(t.atZone(zone)), nz(r.text("type")), nz(r.text("ref")),
                nz(r.text("user")), nz(r.text("action")), nz(r.text("rule")), AuditText.details(r.record())});
        }
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                w[i] = Math.max(w[i], AuditText.width(row[i]));
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : AuditText.pad(row[i], w[i] + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.println(found.size() + " record(s) / 件");
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
