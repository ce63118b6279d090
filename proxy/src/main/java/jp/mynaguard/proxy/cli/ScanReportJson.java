package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.Writer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.scan.ScanReport;

/**
 * Writes a {@link ScanReport} as one JSON line:
 * {@code {"file":…,"findings":[{"type","confidence","location","masked","count","occurrences","reasons"[,"value"]}],"unscannable":[{"location","reason","detail"}]}}.
 * {@code count} is the number of distinct numbers an entry stands for (always 1), as the corpus
 * scorer reads it; {@code value} is written only when revealing was asked for.
 */
final class ScanReportJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final boolean reveal;

    ScanReportJson(boolean reveal) {
        this.reveal = reveal;
    }

    void write(Writer w, String file, ScanReport report) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("file", file);
            g.writeArrayFieldStart("findings");
            for (Finding f : report.findings()) {
                g.writeStartObject();
                g.writeStringField("type", f.type().name());
                g.writeStringField("confidence", f.level().name());
                g.writeStringField("location", f.location());
                g.writeStringField("masked", f.masked());
                g.writeNumberField("count", 1);
                g.writeNumberField("occurrences", f.occurrences());
                g.writeArrayFieldStart("reasons");
                for (String r : f.reasons()) {
                    g.writeString(r);
                }
                g.writeEndArray();
                if (reveal) {
                    g.writeStringField("value", f.revealValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("unscannable");
            for (Unscannable u : report.unscannable()) {
                g.writeStartObject();
                g.writeStringField("location", u.location());
                g.writeStringField("reason", u.reason().label());
                g.writeStringField("detail", u.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        w.write('\n');
    }
}
