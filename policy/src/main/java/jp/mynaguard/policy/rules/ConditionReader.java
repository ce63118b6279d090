package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.UnscannableReason;

/** Reads a rule's {@code when:} map into compiled conditions (all entries must hold). */
final class ConditionReader {
    private static final Map<String, Channel> CHANNELS = new LinkedHashMap<>();
    private static final Map<String, RecipientConditions.Extent> EXTENTS = new LinkedHashMap<>();
    private static final Map<String, UnscannableReason> REASONS = new LinkedHashMap<>();

    static {
        CHANNELS.put("smtp", Channel.SMTP);
        CHANNELS.put("http", Channel.HTTP);
        for (RecipientConditions.Extent e : RecipientConditions.Extent.values()) {
            EXTENTS.put(e.label(), e);
        }
        for (UnscannableReason r : UnscannableReason.values()) {
            REASONS.put(r.label(), r);
        }
    }

    private final LoadContext ctx;
    private final Map<String, Integer> flowIndex;

    /** @param flowIndex flow names to their index in the policy, for {@code flow: NAME} */
    ConditionReader(LoadContext ctx, Map<String, Integer> flowIndex) {
        this.ctx = ctx;
        this.flowIndex = flowIndex;
    }

    Conditions.AllOf read(Fields w) {
        List<Condition> parts = new ArrayList<>();
        if (w == null) {
            return new Conditions.AllOf(parts);
        }
        // Cheapest and most selective first: most messages have no finding at all, so a rule
        // about findings fails on one array read before any set or pattern is consulted.
        readContent(w, parts);
        if (w.has("channel")) {
            Set<Channel> channels = EnumSet.noneOf(Channel.class);
            for (Node n : w.items("channel")) {
                Channel c = w.choice(n, "'channel'", CHANNELS, null);
                if (c != null) {
                    channels.add(c);
                }
            }
            if (!channels.isEmpty()) {
                parts.add(new SenderConditions.ChannelIs(channels));
            }
        }
        if (w.has("sender")) {
            parts.add(new SenderConditions.SenderMatches(patterns(w, "sender", true, false)));
        }
        if (w.has("sender_group")) {
            Set<String> groups = new LinkedHashSet<>();
            for (YamlReader.Scalar s : w.texts("sender_group")) {
                ctx.referGroup(s.value(), s.at(), "sender_group");
                groups.add(s.value());
            }
            parts.add(new SenderConditions.SenderInGroup(groups));
        }
        if (w.has("authenticated")) {
            parts.add(new SenderConditions.Authenticated(w.bool("authenticated", true)));
        }
        if (w.has("external_recipients")) {
            parts.add(new RecipientConditions.ExternalRecipients(
                    w.choice("external_recipients", EXTENTS, RecipientConditions.Extent.ANY)));
        }
        if (w.has("recipient_domain")) {
            parts.add(new RecipientConditions.RecipientDomain(patterns(w, "recipient_domain", false, false)));
        }
        if (w.has("recipients_at_least")) {
            parts.add(new RecipientConditions.RecipientsAtLeast(w.integer("recipients_at_least", 1, 100_000, 1)));
        }
        if (w.has("external_recipients_at_least")) {
            parts.add(new RecipientConditions.ExternalRecipientsAtLeast(
                    w.integer("external_recipients_at_least", 1, 100_000, 1)));
        }
        if (w.has("http_host")) {
            parts.add(new RecipientConditions.HttpHost(patterns(w, "http_host", false, false)));
        }
        if (w.has("http_method")) {
            Set<String> methods = new LinkedHashSet<>();
            for (YamlReader.Scalar s : w.texts("http_method")) {
                String m = s.value().trim().toUpperCase(Locale.ROOT);
                if (!m.matches("[A-Z]{3,10}")) {
                    ctx.out().error(s.at(), "'http_method' entries are methods like POST or PUT");
                } else {
                    methods.add(m);
                }
            }
            parts.add(new RecipientConditions.HttpMethod(methods));
        }
        if (w.has("http_path")) {
            parts.add(new RecipientConditions.HttpPath(patterns(w, "http_path", false, true)));
        }
        readCombinations(w, parts);
        return new Conditions.AllOf(parts);
    }

    private void readContent(Fields w, List<Condition> parts) {
        if (w.has("findings")) {
            Fields f = w.fields("findings", PolicyKeys.FINDINGS);
            if (f != null) {
                Set<FindingType> types = EnumSet.noneOf(FindingType.class);
                for (Node n : f.items("type")) {
                    FindingType t = f.choice(n, "an entry of 'type'", DetectorReader.TYPES, null);
                    if (t != null) {
                        types.add(t);
                    }
                }
                parts.add(new ContentConditions.FindingsAtLeast(
                        types.isEmpty() ? ContentConditions.FindingsAtLeast.SENSITIVE : types,
                        f.choice("min_level", DetectorReader.LEVELS, Level.LOW),
                        f.integer("min_count", 1, 1_000_000, 1)));
            }
        }
        if (w.has("unscannable")) {
            Node n = w.node("unscannable");
            if (n instanceof ScalarNode s && s.getValue().equalsIgnoreCase("true")) {
                parts.add(ContentConditions.UnscannableAny.anyReason());
            } else if (n instanceof ScalarNode s && s.getValue().equalsIgnoreCase("false")) {
                w.error("unscannable", "'unscannable: false' is not a condition; to require that everything"
                        + " could be inspected write 'not: {unscannable: true}'");
            } else {
                Set<UnscannableReason> reasons = EnumSet.noneOf(UnscannableReason.class);
                for (Node item : w.items("unscannable")) {
                    UnscannableReason r = w.choice(item, "an entry of 'unscannable'", REASONS, null);
                    if (r != null) {
                        reasons.add(r);
                    }
                }
                if (!reasons.isEmpty()) {
                    parts.add(new ContentConditions.UnscannableAny(reasons));
                }
            }
        }
        if (w.has("attachment_name")) {
            parts.add(new ContentConditions.AttachmentMatches(ContentConditions.AttachmentPart.NAME,
                    patterns(w, "attachment_name", false, false)));
        }
        if (w.has("attachment_type")) {
            parts.add(new ContentConditions.AttachmentMatches(ContentConditions.AttachmentPart.TYPE,
                    patterns(w, "attachment_type", false, false)));
        }
        if (w.has("message_size_at_least")) {
            parts.add(new ContentConditions.SizeAtLeast(w.size("message_size_at_least", 0)));
        }
    }

    private void readCombinations(Fields w, List<Condition> parts) {
        if (w.has("flow")) {
            String name = w.text("flow", null);
            if ("any".equals(name)) {
                parts.add(new SenderConditions.FlowMatches(null, -1));
            } else if (name != null) {
                Integer index = flowIndex.get(name);
                if (index == null) {
                    w.error("flow", "unknown flow '" + name + "'" + Suggestions.didYouMean(name, flowIndex.keySet())
                            + "; flows are defined under 'flows:' (or write 'any')");
                } else {
                    parts.add(new SenderConditions.FlowMatches(name, index));
                }
            }
        }
        if (w.has("any_of")) {
            List<Condition> alternatives = new ArrayList<>();
            for (Node n : w.items("any_of")) {
                alternatives.add(read(w.reader().fields(n, PolicyKeys.WHEN, "an 'any_of' entry")));
            }
            if (alternatives.isEmpty()) {
                w.error("any_of", "'any_of' needs at least one alternative");
            } else {
                parts.add(new Conditions.AnyOf(alternatives));
            }
        }
        if (w.has("not")) {
            Fields inner = w.fields("not", PolicyKeys.WHEN);
            if (inner != null) {
                parts.add(new Conditions.Not(read(inner)));
            }
        }
    }

    private PatternSet patterns(Fields w, String key, boolean addresses, boolean caseSensitive) {
        List<String> values = new ArrayList<>();
        for (YamlReader.Scalar s : w.texts(key)) {
            String v = s.value().trim();
            if (v.isEmpty()) {
                ctx.out().error(s.at(), "an entry of '" + key + "' is empty");
            } else if (addresses && !v.contains("@") && !v.equals("*")) {
                ctx.out().error(s.at(), "'" + key + "' entries are addresses or patterns like *@example.co.jp");
            } else {
                values.add(v);
            }
        }
        if (values.isEmpty() && w.has(key)) {
            w.error(key, "'" + key + "' needs at least one entry");
        }
        return caseSensitive ? PatternSet.ofCaseSensitive(values) : PatternSet.ofIgnoreCase(values);
    }
}
