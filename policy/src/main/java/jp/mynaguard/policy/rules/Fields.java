package jp.mynaguard.policy.rules;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The checked entries of one YAML mapping with typed getters. A getter that finds a wrong value
 * reports it at the value's position and returns the fallback, so reading goes on and every
 * problem of the file is reported in one run.
 */
final class Fields {
    private static final KeySet LOCALIZED = PolicyKeys.LOCALIZED_TEXT;

    private final YamlReader reader;
    private final Node node;
    private final String what;
    private final Map<String, NodeTuple> entries;

    Fields(YamlReader reader, Node node, String what, Map<String, NodeTuple> entries) {
        this.reader = reader;
        this.node = node;
        this.what = what;
        this.entries = entries;
    }

    YamlReader reader() {
        return reader;
    }

    /** Where the mapping starts. */
    Location at() {
        return reader.at(node);
    }

    /** Where the key is written, or the mapping's start if it is absent. */
    Location keyAt(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? at() : reader.at(t.getKeyNode());
    }

    /** Where the key's value is written, or the mapping's start if the key is absent. */
    Location valueAt(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? at() : reader.at(t.getValueNode());
    }

    /** The value of {@code key} as a scalar with its position, or {@code null} if absent or not text. */
    YamlReader.Scalar scalar(String key) {
        String v = text(key, null);
        return v == null ? null : new YamlReader.Scalar(v, valueAt(key));
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value node, or {@code null} when the key is absent. */
    Node node(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    private String name(String key) {
        return "'" + key + "'";
    }

    void error(String key, String message) {
        Node n = node(key);
        if (n == null) {
            reader.diagnostics().error(at(), message);
        } else {
            reader.error(n, message);
        }
    }

    /** Reports a missing required key at the mapping's start. */
    boolean require(String key) {
        if (has(key)) {
            return true;
        }
        reader.diagnostics().error(at(), what + " needs '" + key + "'");
        return false;
    }

    String text(String key, String fallback) {
        Node n = node(key);
        if (n == null) {
            return fallback;
        }
        String v = reader.text(n, name(key));
        return v == null ? fallback : v;
    }

    List<YamlReader.Scalar> texts(String key) {
        Node n = node(key);
        return n == null ? List.of() : reader.texts(n, name(key));
    }

    List<Node> items(String key) {
        Node n = node(key);
        return n == null ? List.of() : reader.items(n, name(key));
    }

    Fields fields(String key, KeySet keys) {
        Node n = node(key);
        return n == null ? null : reader.fields(n, keys, name(key));
    }

    boolean bool(String key, boolean fallback) {
        Node n = node(key);
        if (n == null) {
            return fallback;
        }
        if (n instanceof ScalarNode s) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            if (v.equals("true")) {
                return true;
            }
            if (v.equals("false")) {
                return false;
            }
        }
        reader.error(n, name(key) + " must be true or false, found " + YamlReader.kind(n));
        return fallback;
    }

    int integer(String key, int min, int max, int fallback) {
        Node n = node(key);
        if (n == null) {
            return fallback;
        }
        if (n instanceof ScalarNode s && s.getValue().matches("[0-9]{1,9}")) {
            int v = Integer.parseInt(s.getValue());
            if (v >= min && v <= max) {
                return v;
            }
        }
        reader.error(n, name(key) + " must be a whole number from " + min + " to " + max
                + ", found " + YamlReader.kind(n));
        return fallback;
    }

    /** One of the given words (case-insensitive), with a did-you-mean for typos. */
    <E> E choice(String key, Map<String, E> choices, E fallback) {
        Node n = node(key);
        return n == null ? fallback : choice(n, name(key), choices, fallback);
    }

    <E> E choice(Node n, String label, Map<String, E> choices, E fallback) {
        String v = reader.text(n, label);
        if (v == null) {
            return fallback;
        }
        E e = choices.get(v.toLowerCase(Locale.ROOT));
        if (e != null) {
            return e;
        }
        reader.error(n, label + " must be one of " + String.join(", ", choices.keySet()) + ", found "
                + YamlReader.kind(n) + Suggestions.didYouMean(v, choices.keySet()));
        return fallback;
    }

    Duration duration(String key, Duration fallback, Duration max) {
        return parsed(key, fallback, (v, n) -> {
            Duration d;
            try {
                d = Quantities.duration(v);
            } catch (IllegalArgumentException e) {
                throw new BadValue(": " + e.getMessage());
            }
            if (d.isZero() || d.compareTo(max) > 0) {
                throw new BadValue(" must be more than 0 and at most " + human(max) + ", found '"
                        + NumberGuard.redact(v) + "'");
            }
            return d;
        });
    }

    long size(String key, long fallback) {
        return parsed(key, fallback, (v, n) -> {
            try {
                return Quantities.size(v);
            } catch (IllegalArgumentException e) {
                throw new BadValue(": " + e.getMessage());
            }
        });
    }

    LocalDate date(String key) {
        return parsed(key, null, (v, n) -> {
            try {
                return LocalDate.parse(v.trim());
            } catch (DateTimeParseException e) {
                throw new BadValue(" must be a date written YYYY-MM-DD, e.g. 2027-03-31, found " + YamlReader.kind(n));
            }
        });
    }

    /**
     * The scalar text at {@code key} turned into a value by {@code parser}; {@code fallback} when
     * the key is absent or not text, and also (after reporting "NAME" + the parser's complaint at
     * the value's position) when the text is not a valid value.
     */
    private <T> T parsed(String key, T fallback, TextParser<T> parser) {
        Node n = node(key);
        if (n == null) {
            return fallback;
        }
        String v = reader.text(n, name(key));
        if (v == null) {
            return fallback;
        }
        try {
            return parser.parse(v, n);
        } catch (BadValue e) {
            reader.error(n, name(key) + e.getMessage());
            return fallback;
        }
    }

    @FunctionalInterface
    private interface TextParser<T> {
        T parse(String text, Node node) throws BadValue;
    }

    /** A value that does not parse; the message continues the sentence after the key's name. */
    private static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String rest) {
            super(rest, null, false, false);
        }
    }

    /** A text for people: one string for both languages, or {@code {ja: ..., en: ...}}. */
    LocalizedText localized(String key) {
        Node n = node(key);
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode) {
            String v = reader.text(n, name(key));
            return v == null ? null : new LocalizedText(v, v);
        }
        Fields f = reader.fields(n, LOCALIZED, name(key));
        if (f == null) {
            return null;
        }
        String ja = f.text("ja", null);
        String en = f.text("en", null);
        if (ja == null && en == null) {
            reader.error(n, name(key) + " needs 'ja' or 'en' (or both)");
            return null;
        }
        return new LocalizedText(ja == null ? en : ja, en == null ? ja : en);
    }

    static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + "m";
        }
        return d.getSeconds() + "s";
    }
}
