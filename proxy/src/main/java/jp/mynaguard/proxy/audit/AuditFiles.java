package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the audit files: {@code audit-2025-04-01_0001.jsonl}, the day (in the gateway's time
 * zone) and a counter within the day, so names sort in writing order; the signed head is
 * {@code audit.head}.
 */
public final class AuditFiles {
    public static final String HEAD = "audit.head";
    private static final Pattern NAME = Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2})_(\\d{4,})\\.jsonl");

    private AuditFiles() {
    }

    static String name(LocalDate day, int counter) {
        return String.format("audit-%s_%04d.jsonl", day, counter);
    }

    static boolean isAuditFile(Path p) {
        return NAME.matcher(p.getFileName().toString()).matches();
    }

    static LocalDate day(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? LocalDate.parse(m.group(1)) : null;
    }

    static int counter(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }

    private static final Comparator<Path> ORDER = Comparator.comparing(AuditFiles::day)
            .thenComparingInt(AuditFiles::counter);

    /** The audit files in a directory, oldest first. */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "audit-*.jsonl")) {
            for (Path p : ds) {
                if (isAuditFile(p) && !Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(ORDER);
        return out;
    }

    /**
     * Files and directories from the command line to a list of files: a directory stands for its
     * audit files in order; files named one by one keep the order given.
     */
    public static List<Path> expand(List<Path> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path a : args) {
            if (Files.isDirectory(a)) {
                out.addAll(list(a));
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
