package jp.mynaguard.policy.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the policy says about one message or upload, and why.
 *
 * <p>The decision is the first rule that matched, in order. When that rule is in audit mode,
 * {@link #mode()} is {@link Mode#AUDIT}, {@link #action()} is what it would have done, and
 * {@link #enforced()} is the decision the gateway carries out: the first matching enforce rule
 * after it, or the default. An enforce decision is its own {@link #enforced()}.
 *
 * <p>It holds counts, addresses and rule names, never a finding: it may be logged and shown.
 */
public final class Decision {
    /** Rule name reported when no rule matched. */
    public static final String DEFAULT_RULE = "default";

    private final Action action;
    private final Rule rule;
    private final int ruleIndex;
    private final Mode mode;
    private final ActionSpec spec;
    private final List<String> approvers;
    private final List<String> backupApprovers;
    private final SideEffects effects;
    private final boolean convertToBcc;
    private final String note;
    private final String policyVersion;
    private final Decision enforced;
    private final MessageFacts facts;

    Decision(Rule rule, int ruleIndex, Action action, ActionSpec spec, ApproverResolver.Resolution approvers,
             SideEffects effects, String note, Decision enforced, MessageFacts facts) {
        this.rule = rule;
        this.ruleIndex = ruleIndex;
        this.action = Objects.requireNonNull(action, "action");
        this.mode = rule == null ? Mode.ENFORCE : rule.mode();
        this.spec = spec;
        this.approvers = approvers == null ? List.of() : approvers.approvers();
        this.backupApprovers = approvers == null ? List.of() : approvers.backups();
        this.effects = effects;
        this.convertToBcc = effects.bccWhenExternalAtLeast() > 0
                && facts.externalCount() >= effects.bccWhenExternalAtLeast()
                && facts.channel() == Channel.SMTP;
        this.note = note == null ? "" : note;
        this.policyVersion = facts.policy().version();
        this.enforced = enforced;
        this.facts = facts;
    }

    /** What to do; for an audit decision, what would have been done. */
    public Action action() {
        return action;
    }

    /** The matched rule's name, or {@link #DEFAULT_RULE}. */
    public String ruleName() {
        return rule == null ? DEFAULT_RULE : rule.name();
    }

    /** The matched rule, or {@code null} for the default. */
    public Rule rule() {
        return rule;
    }

    public boolean isDefault() {
        return rule == null;
    }

    public Mode mode() {
        return mode;
    }

    /** The decision the gateway carries out (this one unless {@link #mode()} is audit). */
    public Decision enforced() {
        return enforced == null ? this : enforced;
    }

    /** Text for the sender (block page, bounce, notice), or {@code null} for the built-in text. */
    public LocalizedText reason() {
        return spec.reason();
    }

    /** For {@link Action#HOLD}: how long the sender may cancel; else {@code null}. */
    public Duration holdDelay() {
        return action == Action.HOLD ? spec.holdDelay() : null;
    }

    /** For {@link Action#APPROVE}: expiry, reminder and expiry outcome; else {@code null}. */
    public ApprovalSpec approval() {
        return action == Action.APPROVE ? spec.approval() : null;
    }

    /** For {@link Action#APPROVE}: the addresses to ask, in order. Never the sender or a recipient. */
    public List<String> approvers() {
        return approvers;
    }

    /** For {@link Action#APPROVE}: who to ask when the approvers do not answer in time. */
    public List<String> backupApprovers() {
        return backupApprovers;
    }

    public SideEffects effects() {
        return effects;
    }

    /** Whether To/Cc are to be turned into Bcc for this message (its external count reached the threshold). */
    public boolean convertToBcc() {
        return convertToBcc;
    }

    /** Why the action differs from the rule's, e.g. an approval with nobody to approve; else empty. */
    public String note() {
        return note;
    }

    /** The policy that made this decision (the audit record reads its directory and detector settings). */
    public Policy policy() {
        return facts.policy();
    }

    /** SHA-256 of the policy files that made this decision. */
    public String policyVersion() {
        return policyVersion;
    }

    /**
     * Why each rule before the deciding one did not decide, in order, e.g.
     * {@code hr-external: external_recipients: any: 0 of 2 recipients are external}. Computed on
     * demand; not for the hot path.
     */
    public List<RuleOutcome> whyOthersDidNotMatch() {
        List<Rule> rules = facts.policy().rules();
        int end = enforced().ruleIndex < 0 ? rules.size() : enforced().ruleIndex;
        List<RuleOutcome> out = new ArrayList<>();
        for (int i = 0; i < end; i++) {
            Rule r = rules.get(i);
            String why;
            if (!r.when().test(facts)) {
                why = r.when().mismatch(facts);
            } else if (i == ruleIndex && mode == Mode.AUDIT) {
                continue;
            } else {
                why = "matched, but in audit mode (would have: " + r.action().action() + ")";
            }
            out.add(new RuleOutcome(r.name(), r.location(), why));
        }
        return out;
    }

    /** One rule that did not decide, and why. */
    public record RuleOutcome(String rule, Location location, String reason) {
        @Override
        public String toString() {
            return rule + ": " + reason;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(action).append(" by ").append(ruleName());
        if (mode == Mode.AUDIT) {
            sb.append(" (audit; enforced: ").append(enforced().action()).append(" by ")
                    .append(enforced().ruleName()).append(')');
        }
        if (!approvers.isEmpty()) {
            sb.append(" approvers=").append(approvers);
        }
        if (!note.isEmpty()) {
            sb.append(" note=").append(note);
        }
        return sb.append(" policy=").append(policyVersion, 0, Math.min(12, policyVersion.length())).toString();
    }
}
