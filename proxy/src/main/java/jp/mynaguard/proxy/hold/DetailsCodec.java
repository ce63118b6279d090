package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * How {@link HoldDetails} are kept in the database: JSON texts for the plain parts (findings,
 * approvers) and a JSON document sealed under the item's data key for the rest (subject,
 * attachments, external recipients). Everything written passes {@link MetadataMask} once more.
 */
final class DetailsCodec {
    private static final JsonFactory JSON = new JsonFactory();

    /** The sealed part. */
    record Sealed(String subject, List<HoldWorkflow.Attachment> attachments, List<String> externalRecipients) {
    }

    /** The approver lists. */
    record Approvers(List<String> primary, List<String> backup) {
    }

    private DetailsCodec() {
    }

    static byte[] sealedJson(HoldDetails d) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("subject", MetadataMask.mask(d.subject()));
            g.writeArrayFieldStart("attachments");
            for (HoldWorkflow.Attachment a : d.attachments()) {
                g.writeStartObject();
                g.writeStringField("name", MetadataMask.mask(a.name()));
                g.writeNumberField("size", a.sizeBytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            stringArray(g, "external", d.externalRecipients());
            g.writeEndObject();
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Sealed readSealed(byte[] json) throws IOException {
        String subject = "";
        List<HoldWorkflow.Attachment> attachments = new ArrayList<>();
        List<String> external = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "subject" -> subject = p.getValueAsString("");
                    case "attachments" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String name = "";
                            long size = 0;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if (f.equals("name")) {
                                    name = p.getValueAsString("");
                                } else if (f.equals("size")) {
                                    size = p.getValueAsLong();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            attachments.add(new HoldWorkflow.Attachment(name, size));
                        }
                    }
                    case "external" -> external.addAll(strings(p));
                    default -> p.skipChildren();
                }
            }
        }
        return new Sealed(subject, attachments, external);
    }

    static String findingsJson(List<HoldWorkflow.Finding> findings) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (HoldWorkflow.Finding f : findings) {
                g.writeStartObject();
                g.writeStringField("type", MetadataMask.mask(f.type()));
                g.writeStringField("level", MetadataMask.mask(f.level()));
                g.writeStringField("location", MetadataMask.mask(f.location()));
                g.writeStringField("masked", MetadataMask.mask(f.masked()));
                g.writeStringField("context", MetadataMask.mask(f.context()));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return w.toString();
    }

    static List<HoldWorkflow.Finding> readFindings(String json) throws IOException {
        List<HoldWorkflow.Finding> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String type = "";
                String level = "";
                String location = "";
                String masked = "";
                String context = "";
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    String v = p.getValueAsString("");
                    switch (f) {
                        case "type" -> type = v;
                        case "level" -> level = v;
                        case "location" -> location = v;
                        case "masked" -> masked = v;
                        case "context" -> context = v;
                        default -> p.skipChildren();
                    }
                }
                out.add(new HoldWorkflow.Finding(type, level, location, masked, context));
            }
        }
        return out;
    }

    static String approversJson(List<String> primary, List<String> backup) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            stringArray(g, "primary", primary);
            stringArray(g, "backup", backup);
            g.writeEndObject();
        }
        return w.toString();
    }

    static Approvers readApprovers(String json) throws IOException {
        List<String> primary = new ArrayList<>();
        List<String> backup = new ArrayList<>();
        if (json != null) {
            try (JsonParser p = JSON.createParser(json)) {
                expect(p.nextToken(), JsonToken.START_OBJECT);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    switch (f) {
                        case "primary" -> primary.addAll(strings(p));
                        case "backup" -> backup.addAll(strings(p));
                        default -> p.skipChildren();
                    }
                }
            }
        }
        return new Approvers(primary, backup);
    }

    private static void stringArray(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static List<String> strings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            out.add(p.getText());
        }
        return out;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("stored item details are damaged (expected " + expected + ", found " + actual + ")");
        }
    }
}
