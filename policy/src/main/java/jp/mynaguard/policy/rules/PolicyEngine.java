package jp.mynaguard.policy.rules;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Unscannable;

/**
 * Evaluates a policy on an envelope and the detector's findings: rules in order, first match
 * wins, the policy's explicit default when none matches. Thread-safe; the policy is read once per
 * decision from the supplier, so a hot reload never mixes two policies within one decision.
 */
public final class PolicyEngine {
    private final Supplier<Policy> policy;
    private final Clock clock;

    public PolicyEngine(Supplier<Policy> policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static PolicyEngine of(Policy policy, Clock clock) {
        Objects.requireNonNull(policy, "policy");
        return new PolicyEngine(() -> policy, clock);
    }

    public Decision decide(Envelope envelope, Collection<Finding> findings, Collection<Unscannable> unscannable) {
        Policy p = policy.get();
        MessageFacts facts = new MessageFacts(p, envelope, findings, unscannable, clock.millis());
        List<Rule> rules = p.rules();
        int firstAudit = -1;
        int n = rules.size();
        for (int i = 0; i < n; i++) {
            Rule rule = rules.get(i);
            if (rule.when().test(facts)) {
                if (rule.mode() == Mode.ENFORCE) {
                    Decision decided = outcome(rule, i, facts, null);
                    return firstAudit < 0 ? decided : outcome(rules.get(firstAudit), firstAudit, facts, decided);
                }
                if (firstAudit < 0) {
                    firstAudit = i;
                }
            }
        }
        Decision fallback = outcome(null, -1, facts, null);
        return firstAudit < 0 ? fallback : outcome(rules.get(firstAudit), firstAudit, facts, fallback);
    }

    private static Decision outcome(Rule rule, int index, MessageFacts facts, Decision enforced) {
        Policy p = facts.policy();
        ActionSpec spec = rule == null ? p.defaultAction() : rule.action();
        SideEffects effects = rule == null ? p.defaultEffects() : rule.effects();
        if (spec.action() != Action.APPROVE) {
            return new Decision(rule, index, spec.action(), spec, null, effects, null, enforced, facts);
        }
        ApproverResolver.Resolution who = ApproverResolver.resolve(spec.approval(), facts);
        if (who.approvers().isEmpty()) {
            // Fail closed (never deliver unmoderated): nobody can approve this sender's message.
            Action instead = spec.approval().onNoApprover();
            return new Decision(rule, index, instead, spec, null, effects,
                    "no approver could be found for the sender; on_no_approver: " + instead, enforced, facts);
        }
        return new Decision(rule, index, Action.APPROVE, spec, who, effects, null, enforced, facts);
    }
}
