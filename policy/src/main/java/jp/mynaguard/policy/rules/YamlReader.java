package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one file's node tree with typed accessors that report every problem with its
 * {@code file:line:column} and carry on, so one load lists all errors. Every node handed out is
 * counted against {@link PolicyLimits#MAX_NODES}: aliases let a small file reuse a node many
 * times, and the count keeps that from turning into millions of visits.
 */
final class YamlReader {
    /** A scalar and where it was written. */
    record Scalar(String value, Location at) {
    }

    private final String label;
    private final Diagnostics out;
    private int budget = PolicyLimits.MAX_NODES;
    private boolean budgetReported;

    YamlReader(String label, Diagnostics out) {
        this.label = label;
        this.out = out;
    }

    String label() {
        return label;
    }

    Diagnostics diagnostics() {
        return out;
    }

    Location at(Node node) {
        return node.getStartMark().map(m -> YamlDocument.at(label, m)).orElse(new Location(label, 1, 1));
    }

    void error(Node node, String message) {
        out.error(at(node), message);
    }

    private boolean spend(Node node, int count) {
        budget -= count;
        if (budget < 0) {
            if (!budgetReported) {
                budgetReported = true;
                error(node, "the document expands to more than " + PolicyLimits.MAX_NODES
                        + " values (through aliases); reading stopped here");
            }
            return false;
        }
        return true;
    }

    static boolean isNull(Node node) {
        if (!(node instanceof ScalarNode s)) {
            return false;
        }
        if (s.getScalarStyle() != ScalarStyle.PLAIN) {
            return false;
        }
        String v = s.getValue();
        return v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL");
    }

    /** A mapping's entries with unknown, duplicate and non-text keys reported; {@code null} if not a mapping. */
    Fields fields(Node node, KeySet keys, String what) {
        if (!(node instanceof MappingNode map)) {
            error(node, what + " must be a mapping (key: value), found " + kind(node));
            return null;
        }
        if (!spend(node, map.getValue().size())) {
            return null;
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks) || isNull(k)) {
                error(k, "keys of " + what + " must be plain words, found " + kind(k));
                continue;
            }
            String key = ks.getValue();
            NodeTuple first = entries.get(key);
            if (first != null) {
                error(k, "duplicate key '" + key + "' (first written at line " + at(first.getKeyNode()).line() + ")");
                continue;
            }
            if (!keys.accepts(key)) {
                String hint = Suggestions.didYouMean(key, keys.keys());
                error(k, "unknown key '" + key + "' in " + what + hint
                        + (hint.isEmpty() ? "; allowed: " + String.join(", ", keys.keys()) : ""));
                continue;
            }
            entries.put(key, t);
        }
        return new Fields(this, node, what, entries);
    }

    /** The items of a sequence; a single value where a list is expected counts as a list of one. */
    List<Node> items(Node node, String what) {
        if (node instanceof SequenceNode seq) {
            return spend(node, seq.getValue().size()) ? seq.getValue() : List.of();
        }
        if (isNull(node)) {
            return List.of();
        }
        if (node instanceof ScalarNode) {
            return List.of(node);
        }
        error(node, what + " must be a list, found " + kind(node));
        return List.of();
    }

    /** A non-empty text value, or {@code null} after an error. */
    String text(Node node, String what) {
        if (node instanceof ScalarNode s && !isNull(node)) {
            return s.getValue();
        }
        error(node, what + " must be a text value, found " + kind(node));
        return null;
    }

    List<Scalar> texts(Node node, String what) {
        List<Scalar> result = new ArrayList<>();
        for (Node item : items(node, what)) {
            String v = text(item, "each entry of " + what);
            if (v != null) {
                result.add(new Scalar(v, at(item)));
            }
        }
        return result;
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "nothing";
        }
        return "'" + abbreviate(NumberGuard.redact(((ScalarNode) node).getValue())) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
