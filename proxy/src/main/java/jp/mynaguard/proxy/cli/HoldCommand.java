package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.MetadataMask;
import jp.mynaguard.proxy.hold.SqliteHoldStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mynaguard hold list}: what is in the hold store (metadata only, never content);
 * {@code mynaguard hold purge}: retention by hand ({@link HoldPurgeCommand}).
 */
@Command(name = "hold",
        mixinStandardHelpOptions = true,
        description = {"Looks into the hold store: quarantined, held and approval-pending messages."},
        subcommands = {HoldCommand.ListItems.class, HoldPurgeCommand.class})
public final class HoldCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code hold list [--data DIR] [--json] [--limit N]}. */
    @Command(name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "Lists held items, newest first: reference id, kind, state, when received, sender,",
                "number of recipients, the rule that decided and a summary of the findings.",
                "Content is never shown; digit runs that could be a My Number are masked.",
                "",
                "Exit status: 0 = listed (possibly nothing); 1 = no store under --data, or it cannot be read."})
    public static final class ListItems implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
                description = "Data directory of the gateway (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--json", description = "One JSON array instead of a table.")
        boolean json;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "At most N items (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            PrintStream err = System.err;
            if (!SqliteHoldStore.exists(data)) {
                err.println("hold list: no hold store under " + data + " (nothing has been held yet, or wrong --data)");
                return 1;
            }
            try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
                List<HeldItem> items = store.list(Math.max(1, limit));
                if (json) {
                    printJson(items, out);
                } else {
                    printTable(items, out);
                }
                return 0;
            } catch (IOException e) {
                err.println("hold list: " + e.getMessage());
                return 1;
            }
        }

        private static void printTable(List<HeldItem> items, PrintStream out) {
            if (items.isEmpty()) {
                out.println("no held items");
                return;
            }
            String format = "%-10s %-10s %-9s %-20s %-32s %5s  %-24s %s%n";
            out.printf(format, "REFERENCE", "KIND", "STATE", "RECEIVED", "SENDER", "RCPTS", "RULE", "FINDINGS");
            for (HeldItem i : items) {
                out.printf(format, i.referenceId(), i.kind(), i.state(), time(i.receivedAt()),
                        MetadataMask.mask(i.sender()), i.recipients().size(), MetadataMask.mask(i.rule()),
                        MetadataMask.mask(i.findingsSummary()));
            }
        }

        private static void printJson(List<HeldItem> items, PrintStream out) {
            try {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    g.useDefaultPrettyPrinter();
                    g.writeStartArray();
                    for (HeldItem i : items) {
                        g.writeStartObject();
                        g.writeStringField("referenceId", i.referenceId());
                        g.writeStringField("kind", i.kind().name());
                        g.writeStringField("state", i.state());
                        g.writeStringField("channel", i.channel());
                        g.writeStringField("receivedAt", i.receivedAt().toString());
                        g.writeStringField("releaseAfter", i.releaseAfter() == null ? null : i.releaseAfter().toString());
                        g.writeStringField("sender", MetadataMask.mask(i.sender()));
                        g.writeNumberField("recipientCount", i.recipients().size());
                        g.writeStringField("rule", MetadataMask.mask(i.rule()));
                        g.writeStringField("policyVersion", i.policyVersion());
                        g.writeStringField("findings", MetadataMask.mask(i.findingsSummary()));
                        g.writeNumberField("sizeBytes", i.sizeBytes());
                        g.writeStringField("contentSha256", i.contentSha256());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                w.write(System.lineSeparator());
                w.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static String time(Instant t) {
            return t.truncatedTo(ChronoUnit.SECONDS).toString();
        }
    }
}
