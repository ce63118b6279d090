package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;

import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;

/** Reads {@code detector:}: keywords, the counting level and allow-listed shapes. */
final class DetectorReader {
    static final Map<String, Level> LEVELS = new LinkedHashMap<>();
    static final Map<String, FindingType> TYPES = new LinkedHashMap<>();

    static {
        for (Level l : Level.values()) {
            LEVELS.put(l.name().toLowerCase(java.util.Locale.ROOT), l);
        }
        for (FindingType t : FindingType.values()) {
            TYPES.put(t.name().toLowerCase(java.util.Locale.ROOT), t);
        }
    }

    private final LoadContext ctx;

    DetectorReader(LoadContext ctx) {
        this.ctx = ctx;
    }

    DetectorSettings read(Fields f) {
        if (f == null) {
            return DetectorSettings.DEFAULTS;
        }
        Level minLevel = f.choice("min_level", LEVELS, Level.LOW);
        List<AllowShape> allow = new ArrayList<>();
        for (Node n : f.items("allow")) {
            AllowShape shape = shape(f.reader().fields(n, PolicyKeys.ALLOW_SHAPE, "an allow entry"));
            if (shape != null) {
                allow.add(shape);
            }
        }
        return new DetectorSettings(minLevel, words(f, "my_number_keywords"), words(f, "corporate_keywords"),
                words(f, "negative_words"), allow);
    }

    private List<String> words(Fields f, String key) {
        List<String> words = new ArrayList<>();
        for (YamlReader.Scalar s : f.texts(key)) {
            if (s.value().isBlank()) {
                ctx.out().error(s.at(), "an entry of '" + key + "' is empty");
            } else {
                words.add(s.value().trim());
            }
        }
        return words;
    }

    private AllowShape shape(Fields f) {
        if (f == null || !f.require("shape")) {
            return null;
        }
        String written = f.text("shape", "");
        Location at = f.valueAt("shape");
        String shape = written.replace("-", "").replace(" ", "");
        int fixed = 0;
        for (int i = 0; i < shape.length(); i++) {
            char c = shape.charAt(i);
            if (c >= '0' && c <= '9') {
                fixed++;
            } else if (c != '*') {
                ctx.out().error(at, "a shape is written with digits and '*' only (e.g. 9999********),"
                        + " optionally grouped 4-4-4 with '-' or spaces");
                return null;
            }
        }
        if (shape.length() != 12 && shape.length() != 13) {
            ctx.out().error(at, "a shape has 12 places (My Number) or 13 (Corporate Number), found "
                    + shape.length());
            return null;
        }
        if (fixed > PolicyLimits.MAX_SHAPE_FIXED_DIGITS) {
            ctx.out().error(at, "allow-listed values are shapes, not numbers: this one fixes " + fixed
                    + " digits, at most " + PolicyLimits.MAX_SHAPE_FIXED_DIGITS + " may be fixed and the rest"
                    + " must be '*' (e.g. 9999********). A real number must never be written into the policy;"
                    + " the file would become a copy of it");
            return null;
        }
        Set<FindingType> types = EnumSet.noneOf(FindingType.class);
        for (Node n : f.items("types")) {
            FindingType t = f.choice(n, "an entry of 'types'", TYPES, null);
            if (t != null) {
                types.add(t);
            }
        }
        if (types.isEmpty()) {
            types = shape.length() == 12 ? EnumSet.of(FindingType.MY_NUMBER)
                    : EnumSet.of(FindingType.CORPORATE_NUMBER, FindingType.INVOICE_REG_NO);
        }
        for (FindingType t : types) {
            int places = t == FindingType.MY_NUMBER ? 12 : 13;
            if (t == FindingType.MY_NUMBER_TRUNCATED || places != shape.length()) {
                f.error("types", "type " + t.name().toLowerCase(java.util.Locale.ROOT) + " does not fit a shape of "
                        + shape.length() + " places");
                return null;
            }
        }
        return new AllowShape(shape, types, f.text("note", ""), at);
    }
}
