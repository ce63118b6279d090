package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.Reader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * JSON with the jackson-core streaming parser: every string and number value on its own line
 * as {@code name: value}, so the key gives the detector keyword context ({@code myNumber: ...}).
 * Numbers are taken as their exact source text: a 12-digit JSON number must not
 * pass through a double. Keys holding digits (maps keyed by a number) become lines as well.
 */
final class JsonExtractor implements FormatExtractor {
    /**
     * Nesting allowed per {@link Limits#maxDepth()} level. A JSON level is not a container of
     * files: API payloads nest deeper than attachments do, and a streaming parser holds only a
     * small context object per level, so the bound is kept well above the container limit.
     */
    static final int NESTING_PER_DEPTH = 4;

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        int maxNesting = ctx.limits().maxDepth() * NESTING_PER_DEPTH;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNesting + 1).build())
                .build();
        try (Reader text = TextDecoding.open(source.openStream(), CharsetHints.get(source));
             JsonParser parser = factory.createParser(text);
             Values values = new Values(parser, maxNesting)) {
            ctx.emitText(location, values, null, null);
            values.reportFailure(ctx, location);
        }
    }

    /** The value lines of one document, pulled from the parser as the chunker reads. */
    private static final class Values extends LineReader {
        private final JsonParser parser;
        private final int maxNesting;
        private int depth;

        Values(JsonParser parser, int maxNesting) {
            this.parser = parser;
            this.maxNesting = maxNesting;
        }

        @Override
        protected String nextLine() throws IOException {
            try {
                JsonToken t;
                while ((t = parser.nextToken()) != null) {
                    switch (t) {
                        case START_OBJECT:
                        case START_ARRAY:
                            if (++depth > maxNesting) {
                                fail(UnscannableReason.TOO_DEEP, "JSON nested more than " + maxNesting + " levels");
                                return null;
                            }
                            break;
                        case END_OBJECT:
                        case END_ARRAY:
                            depth--;
                            break;
                        case FIELD_NAME:
                            if (hasDigit(parser.currentName())) {
                                return parser.currentName();
                            }
                            break;
                        case VALUE_STRING:
                        case VALUE_NUMBER_INT:
                        case VALUE_NUMBER_FLOAT:
                            return line(name(), parser.getText());
                        default:
                            break;
                    }
                }
                return null;
            } catch (JsonProcessingException e) {
                // Truncated or invalid JSON: what was read is scanned, the rest is reported.
                fail(UnscannableReason.MALFORMED, e.getLocation() == null ? "invalid JSON"
                        : "invalid JSON at line " + e.getLocation().getLineNr());
                return null;
            }
        }

        /** The field name of the current value; for array elements the name of the array. */
        private String name() {
            JsonStreamContext c = parser.getParsingContext();
            while (c != null) {
                if (c.inObject() && c.getCurrentName() != null) {
                    return c.getCurrentName();
                }
                c = c.getParent();
            }
            return null;
        }

        private static String line(String name, String value) {
            return name == null ? value : name + ": " + value;
        }

        private static boolean hasDigit(String s) {
            if (s == null) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (Character.isDigit(s.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
    }
}
