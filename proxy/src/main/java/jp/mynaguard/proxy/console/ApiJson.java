package jp.mynaguard.proxy.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.hold.MetadataMask;
import jp.mynaguard.proxy.smtp.SmtpUser;

/**
 * The API's JSON, written with jackson-core's streaming generator. Field names are documented in
 * {@code docs/api.md}. Strings from items pass through {@link MetadataMask} as on the pages; only
 * the reveal answer carries content unmasked.
 */
final class ApiJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
                    .maxStringLength(ConsoleLimits.MAX_BODY_BYTES).build())
            .build();

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private ApiJson() {
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] error(String code, String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", code);
            g.writeStringField("message", MetadataMask.mask(message));
            g.writeEndObject();
        });
    }

    static byte[] items(List<HeldItem> items) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (HeldItem i : items) {
                item(g, i);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static void item(JsonGenerator g, HeldItem i) throws IOException {
        g.writeStartObject();
        g.writeStringField("referenceId", i.referenceId());
        g.writeStringField("kind", i.kind() == null ? null : i.kind().name());
        g.writeStringField("state", i.state());
        g.writeStringField("channel", i.channel());
        str(g, "sender", i.sender());
        g.writeArrayFieldStart("recipients");
        for (String r : i.recipients()) {
            g.writeString(MetadataMask.mask(r));
        }
        g.writeEndArray();
        str(g, "rule", i.rule());
        str(g, "policyVersion", i.policyVersion());
        str(g, "findingsSummary", i.findingsSummary());
        time(g, "receivedAt", i.receivedAt());
        time(g, "releaseAfter", i.releaseAfter());
        g.writeNumberField("sizeBytes", i.sizeBytes());
        // No contentSha256: hex hashes often hold 12-digit runs, which no answer of the console carries.
        g.writeEndObject();
    }

    static byte[] detail(HoldWorkflow.ItemDetail d) {
        return write(g -> {
            g.writeStartObject();
            g.writeFieldName("item");
            item(g, d.item());
            str(g, "subject", d.subject());
            g.writeArrayFieldStart("attachments");
            for (HoldWorkflow.Attachment a : d.attachments()) {
                g.writeStartObject();
                str(g, "name", a.name());
                g.writeNumberField("sizeBytes", a.sizeBytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("findings");
            for (HoldWorkflow.Finding f : d.findings()) {
                g.writeStartObject();
                g.writeStringField("type", f.type());
                g.writeStringField("level", f.level());
                str(g, "location", f.location());
                str(g, "masked", f.masked());
                str(g, "context", f.context());
                g.writeEndObject();
            }
            g.writeEndArray();
            strings(g, "approvers", d.approvers());
            strings(g, "backupApprovers", d.backupApprovers());
            strings(g, "externalRecipients", d.externalRecipients());
            time(g, "expiresAt", d.expiresAt());
            history(g, "history", d.history(), null);
            g.writeBooleanField("mayDecide", d.mayDecide());
            g.writeEndObject();
        });
    }

    /** The reveal answer: the content unmasked, part by part. */
    static byte[] revealed(ConsoleActions.Revealed r) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("referenceId", r.detail().item().referenceId());
            g.writeArrayFieldStart("parts");
            for (Map.Entry<String, String> p : r.content().parts().entrySet()) {
                g.writeStartObject();
                g.writeStringField("location", p.getKey());
                g.writeStringField("text", p.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            strings(g, "unreadable", r.content().unreadable());
            g.writeBooleanField("truncated", r.content().truncated());
            g.writeEndObject();
        });
    }

    static byte[] policy(PolicyStatus s) {
        return write(g -> {
            g.writeStartObject();
            str(g, "activeVersion", s.activeVersion());
            str(g, "name", s.name());
            time(g, "activatedAt", s.activatedAt());
            strings(g, "files", s.files());
            str(g, "rejectedVersion", s.rejectedVersion());
            strings(g, "errors", s.errors());
            g.writeEndObject();
        });
    }

    static byte[] users(Collection<SmtpUser> users) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("users");
            for (SmtpUser u : users) {
                g.writeStartObject();
                str(g, "name", u.name());
                strings(g, "addresses", u.addresses());
                strings(g, "roles", u.roles().stream().sorted().map(r -> r.name().toLowerCase(java.util.Locale.ROOT))
                        .toList());
                g.writeBooleanField("totp", u.totpSecret() != null);
                g.writeNumberField("tokens", u.tokens().size());
                g.writeBooleanField("canLogIn", u.canLogIn());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static byte[] audit(List<AdminViews.AuditLine> lines) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("audit");
            for (AdminViews.AuditLine l : lines) {
                transition(g, l.transition(), l.referenceId());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static void history(JsonGenerator g, String field, List<HoldWorkflow.Transition> history, String ref)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (HoldWorkflow.Transition t : history) {
            transition(g, t, ref);
        }
        g.writeEndArray();
    }

    private static void transition(JsonGenerator g, HoldWorkflow.Transition t, String ref) throws IOException {
        g.writeStartObject();
        if (ref != null) {
            g.writeStringField("referenceId", ref);
        }
        g.writeStringField("from", t.from() == null ? null : t.from().name());
        g.writeStringField("to", t.to() == null ? null : t.to().name());
        g.writeStringField("action", t.action());
        str(g, "actor", t.actor());
        time(g, "at", t.at());
        str(g, "comment", t.comment());
        g.writeEndObject();
    }

    static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(MetadataMask.mask(v));
        }
        g.writeEndArray();
    }

    private static void str(JsonGenerator g, String field, String value) throws IOException {
        g.writeStringField(field, MetadataMask.mask(value));
    }

    private static void time(JsonGenerator g, String field, Instant t) throws IOException {
        g.writeStringField(field, t == null ? null : t.toString());
    }

    /**
     * A request body: a flat JSON object of strings ({@code {"comment": "..."}}). Anything else is
     * a 400, not a guess.
     */
    static Map<String, String> readObject(byte[] body) throws Refusal {
        Map<String, String> out = new HashMap<>();
        if (body.length == 0) {
            return out;
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Refusal.badRequest("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                    throw Refusal.badRequest("field " + name + " must be a string");
                }
                out.put(name, v == JsonToken.VALUE_NULL ? null : p.getText());
            }
            if (p.nextToken() != null) {
                throw Refusal.badRequest("trailing data after the JSON object");
            }
        } catch (IOException e) {
            throw Refusal.badRequest("malformed JSON");
        }
        return out;
    }
}
