package jp.mynaguard.policy.rules;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns the bytes of one file into a YAML node tree with line/column marks, or into diagnostics.
 *
 * <p>Whatever the bytes are, this returns: binary data, broken UTF-8, a 100 MB file, a YAML
 * syntax error, deep nesting, an alias bomb, several documents, or input that trips a bug in the
 * YAML library (the 3-byte document {@code "\x} throws a bare {@link NumberFormatException})
 * all become one clear error instead of an exception.
 */
final class YamlDocument {
    private final String label;
    private final Node root;

    private YamlDocument(String label, Node root) {
        this.label = label;
        this.root = root;
    }

    String label() {
        return label;
    }

    Node root() {
        return root;
    }

    /** The parsed document, or {@code null} after reporting why there is none. */
    static YamlDocument parse(String label, byte[] bytes, Diagnostics out) {
        Location top = new Location(label, 1, 1);
        if (bytes.length > PolicyLimits.MAX_FILE_BYTES) {
            out.error(top, "file is too large: a policy file may have at most " + PolicyLimits.MAX_FILE_BYTES
                    + " bytes");
            return null;
        }
        String text = decode(label, bytes, out);
        if (text == null) {
            return null;
        }
        NumberGuard.check(label, text, out);
        if (text.isBlank()) {
            out.error(top, "file is empty; a policy starts with 'version: " + PolicyLimits.POLICY_VERSION + "'");
            return null;
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(label)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(PolicyLimits.MAX_ALIASES)
                .setCodePointLimit(PolicyLimits.MAX_FILE_BYTES)
                .setSchema(new CoreSchema())
                .setUseMarks(true)
                .build();
        try {
            if (!checkStructure(label, text, settings, out)) {
                return null;
            }
            Optional<Node> node = new Compose(settings).composeString(text);
            if (node.isEmpty()) {
                out.error(top, "file has no YAML document");
                return null;
            }
            return new YamlDocument(label, node.get());
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            out.error(mark == null ? top : at(label, mark), "YAML syntax error: " + describe(e));
        } catch (RuntimeException | StackOverflowError e) {
            // snakeyaml-engine throws NumberFormatException (no mark) for "\x at end of input, and
            // may throw other unchecked exceptions on inputs its authors did not foresee.
            out.error(top, "YAML syntax error: the file could not be parsed (" + e.getClass().getSimpleName()
                    + "); check for an unfinished quoted string or escape sequence");
        }
        return null;
    }

    /** Depth, alias count and number of documents, checked on the event stream before building nodes. */
    private static boolean checkStructure(String label, String text, LoadSettings settings, Diagnostics out) {
        int depth = 0;
        int aliases = 0;
        int documents = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            switch (event.getEventId()) {
                case MappingStart:
                case SequenceStart:
                    if (++depth > PolicyLimits.MAX_NESTING) {
                        out.error(at(label, event), "nesting is deeper than " + PolicyLimits.MAX_NESTING
                                + " levels; a policy needs far fewer");
                        return false;
                    }
                    break;
                case MappingEnd:
                case SequenceEnd:
                    depth--;
                    break;
                case Alias:
                    if (++aliases > PolicyLimits.MAX_ALIASES) {
                        out.error(at(label, event), "more than " + PolicyLimits.MAX_ALIASES
                                + " aliases (*name); the file looks like an alias bomb");
                        return false;
                    }
                    break;
                case DocumentStart:
                    if (++documents > 1) {
                        out.error(at(label, event), "a policy file holds one YAML document; found a second '---'");
                        return false;
                    }
                    break;
                default:
                    break;
            }
        }
        return true;
    }

    private static String decode(String label, byte[] bytes, Diagnostics out) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                out.error(position(label, bytes, i), "this is not a text file (binary data: NUL byte at offset "
                        + i + "); a policy is UTF-8 YAML text");
                return null;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer chars = decoder.decode(in);
            String text = chars.toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int offset = firstInvalidUtf8(bytes);
            out.error(position(label, bytes, offset), "file is not valid UTF-8 (byte offset " + offset
                    + "); save it as UTF-8 (Shift_JIS is not accepted)");
            return null;
        }
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer outBuf = CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, outBuf, true);
        return in.position();
    }

    /** Line and column of a byte offset, counting columns in characters of the valid prefix. */
    private static Location position(String label, byte[] bytes, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String prefix = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
        return new Location(label, line, prefix.length() + 1);
    }

    static Location at(String label, Mark mark) {
        return new Location(label, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static Location at(String label, Event event) {
        return event.getStartMark().map(m -> at(label, m)).orElse(new Location(label, 1, 1));
    }

    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem().trim();
        String context = e.getContext() == null ? "" : e.getContext().trim();
        if (context.isEmpty()) {
            return problem;
        }
        return problem.isEmpty() ? context : problem + " (" + context + ")";
    }
}
