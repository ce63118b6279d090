package jp.mynaguard.proxy.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import jp.mynaguard.policy.rules.NumberGuard;

/**
 * JSON for the audit trail with jackson-core only: one record to one line, one line back to an
 * ordered map. Every string written passes {@link NumberGuard#redact}, the last net under the rule
 * that no digit of a My Number ever reaches the trail (callers already write counts and masked
 * locations only); hex digests (our own hashes) are left alone.
 */
final class AuditJson {
    static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** Names the log itself writes; an event field of the same name is written as NAME_. */
    static final List<String> RESERVED = List.of("seq", "time", "type", "prev", "sig");

    private AuditJson() {
    }

    /**
     * A value of the log's own making, written as is: the signing key's id, 16 hex digits of a
     * SHA-256. About one key in sixty has 12 or more decimal digits in a row there, which the
     * redaction below masked, so every checkpoint of such a key failed verification. Not for
     * anything an event carries.
     */
    record OwnValue(String text) {
    }

    /** The line (no newline) for a record: seq, time, type, prev, then the fields. */
    static byte[] record(long seq, Instant time, String type, String prev, Map<String, Object> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("seq", seq);
            g.writeStringField("time", time(time));
            g.writeStringField("type", safe(type));
            g.writeStringField("prev", prev);
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                String name = e.getKey();
                g.writeFieldName(RESERVED.contains(name) ? name + "_" : safe(name));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An object of string and number fields in the given order (the head file, the signed part of a seal). */
    static byte[] object(Map<String, Object> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                g.writeFieldName(e.getKey());
                value(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof OwnValue o) {
            g.writeString(o.text());
        } else if (v instanceof String s) {
            g.writeString(safe(s));
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(safe(String.valueOf(e.getKey())));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                value(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Instant t) {
            g.writeString(time(t));
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            g.writeString(safe(String.valueOf(v)));
        }
    }

    /** Redacts number-like digit runs, except in our own SHA-256 hex digests. */
    static String safe(String s) {
        if (s.length() == 64 && isHex(s)) {
            return s;
        }
        return NumberGuard.redact(s);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * One line back to an ordered map (numbers as {@code Long} or {@code Double}).
     *
     * @throws IllegalArgumentException when the line is not one JSON object
     */
    static Map<String, Object> parse(byte[] line) {
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, Object> m = readObject(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the JSON object");
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return NumberGuard.redact(nl < 0 ? s : s.substring(0, nl));
    }

    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (m.put(name, read(p)) != null) {
                throw new IllegalArgumentException("field '" + name + "' twice");
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return m;
    }

    private static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IllegalArgumentException("the line ends inside a value");
        }
        switch (t) {
            case START_OBJECT:
                return readObject(p);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected " + t);
        }
    }
}
