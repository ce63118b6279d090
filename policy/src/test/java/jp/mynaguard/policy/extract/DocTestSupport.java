package jp.mynaguard.policy.extract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Shared helpers of the document extractor tests: a format registry with the document
 * extractors plus tiny test-only text extractors (the real ones are another module's work),
 * corpus access, and number comparison that ignores how digits are written.
 */
final class DocTestSupport {
    private DocTestSupport() {
    }

    /** Test stand-in for TEXT/CSV/TSV/BINARY: decodes UTF-8, else CP932, and emits it as running text. */
    static final FormatExtractor PLAIN = (ctx, location, source) -> {
        byte[] bytes;
        try (var in = source.openStream()) {
            bytes = in.readNBytes(8 * 1024 * 1024);
        }
        ctx.emitText(location, decode(bytes));
    };

    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-31j"));
        }
    }

    static FormatRegistry registry() {
        FormatRegistry.Builder b = new FormatRegistry.Builder();
        DocumentFormats.register(b);
        b.register(Format.TEXT, PLAIN).register(Format.CSV, PLAIN).register(Format.TSV, PLAIN)
                .register(Format.BINARY, PLAIN);
        return b.build();
    }

    static RecordingSink extract(String name, byte[] bytes) throws IOException {
        return extract(Limits.defaults(), name, bytes);
    }

    static RecordingSink extract(Limits limits, String name, byte[] bytes) throws IOException {
        RecordingSink sink = new RecordingSink();
        new ContentExtractor(limits, registry()).extract(null, name, name, new ByteArrayInputStream(bytes), sink);
        return sink;
    }

    static byte[] corpus(String name) throws IOException {
        return Files.readAllBytes(RecordingSink.corpusCase(name));
    }

    /** The base64 attachment of a corpus message (the MIME parser is another module's work). */
    static byte[] emlAttachment(String name) throws IOException {
        List<String> lines = Files.readAllLines(RecordingSink.corpusCase(name), StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equalsIgnoreCase("Content-Transfer-Encoding: base64")) {
                start = i;
            }
        }
        if (start < 0) {
            throw new IllegalStateException("no base64 part in " + name);
        }
        while (!lines.get(start).isEmpty()) {
            start++;
        }
        StringBuilder b64 = new StringBuilder();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("--"); i++) {
            b64.append(lines.get(i).trim());
        }
        return Base64.getDecoder().decode(b64.toString());
    }

    /** My Numbers labelled for each corpus file ({@code cases/NAME} → numbers). */
    static Map<String, List<String>> labels() throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        byte[] json = Files.readAllBytes(RecordingSink.corpusCase("x").getParent().resolveSibling("labels.json"));
        try (JsonParser p = new JsonFactory().createParser(json)) {
            String file = null;
            List<String> numbers = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && "file".equals(p.currentName())) {
                    p.nextToken();
                    file = p.getText().substring("cases/".length());
                } else if (t == JsonToken.FIELD_NAME && ("my_numbers".equals(p.currentName())
                        || "corporate_numbers".equals(p.currentName()))) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        numbers.add(p.getText());
                    }
                } else if (t == JsonToken.END_OBJECT && file != null && p.getParsingContext().inArray()) {
                    out.put(file, numbers);
                    file = null;
                    numbers = new ArrayList<>();
                }
            }
        }
        return out;
    }

    /** Full-width digits folded, digit-group separators (spaces, hyphens and their wide forms) removed. */
    static String folded(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch >= '０' && ch <= '９') {
                sb.append((char) ('0' + (ch - '０')));
            } else if (" \u3000\u00a0-－−‐".indexOf(ch) < 0) {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** A valid My Number built from 11 base digits (check digit per the corpus README). */
    static String myNumber(String base11) {
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = base11.charAt(11 - n) - '0';
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        int r = sum % 11;
        return base11 + (r <= 1 ? 0 : 11 - r);
    }
}
