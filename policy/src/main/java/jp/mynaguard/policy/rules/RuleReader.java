package jp.mynaguard.policy.rules;

import java.util.Map;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads the ordered {@code rules:} and the explicit {@code default:}. */
final class RuleReader {
    static final Map<String, Mode> MODES = new java.util.LinkedHashMap<>();

    static {
        MODES.put("enforce", Mode.ENFORCE);
        MODES.put("audit", Mode.AUDIT);
    }

    private final LoadContext ctx;
    private final ConditionReader conditions;
    private final ActionReader actions;
    private final Mode defaultMode;
    private final boolean haveSecurityTeam;

    RuleReader(LoadContext ctx, Map<String, Integer> flowIndex, Mode defaultMode, boolean haveSecurityTeam) {
        this.ctx = ctx;
        this.conditions = new ConditionReader(ctx, flowIndex);
        this.actions = new ActionReader(ctx);
        this.defaultMode = defaultMode;
        this.haveSecurityTeam = haveSecurityTeam;
    }

    Rule rule(Fields r) {
        if (r == null) {
            return null;
        }
        boolean complete = r.require("name") & r.require("action");
        String name = ctx.name(r.text("name", null), r.keyAt("name"), "a rule name");
        if (name != null && !ctx.unique("rule", name, r.keyAt("name"), "rule name")) {
            name = null;
        }
        Mode mode = r.choice("mode", MODES, defaultMode);
        Conditions.AllOf when = conditions.read(r.has("when") ? whenFields(r) : null);
        ActionSpec action = r.has("action") ? actions.action(r, "action") : null;
        SideEffects effects = actions.effects(r, haveSecurityTeam);
        if (!complete || name == null || action == null) {
            return null;
        }
        return new Rule(name, r.text("description", ""), mode, when, action, effects, r.at());
    }

    private Fields whenFields(Fields r) {
        Node n = r.node("when");
        if (YamlReader.isNull(n)) {
            return null;
        }
        return r.fields("when", PolicyKeys.WHEN);
    }

    /** {@code default: allow} or {@code default: {action: ..., notify: ...}}; {@code null} after an error. */
    Rule defaultRule(Fields top) {
        Node n = top.node("default");
        if (n == null) {
            top.reader().diagnostics().error(top.at(), "the policy needs 'default' (what happens when no rule"
                    + " matches), e.g. 'default: allow'");
            return null;
        }
        ActionSpec action;
        SideEffects effects = SideEffects.NONE;
        if (n instanceof ScalarNode) {
            action = actions.action(top, "default");
        } else {
            Fields d = top.fields("default", PolicyKeys.DEFAULT);
            if (d == null || !d.require("action")) {
                return null;
            }
            action = actions.action(d, "action");
            effects = actions.effects(d, haveSecurityTeam);
        }
        if (action == null) {
            return null;
        }
        return new Rule(Decision.DEFAULT_RULE, "", Mode.ENFORCE, new Conditions.AllOf(java.util.List.of()),
                action, effects, top.keyAt("default"));
    }
}
