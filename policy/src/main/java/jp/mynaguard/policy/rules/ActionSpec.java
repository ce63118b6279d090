package jp.mynaguard.policy.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * An action as written in a rule, with its parameters.
 *
 * @param action    what to do
 * @param reason    text shown to the sender (block page, bounce, notice); {@code null} for the built-in text
 * @param holdDelay for {@link Action#HOLD}: how long the sender may cancel; else {@code null}
 * @param approval  for {@link Action#APPROVE}: who approves and how; else {@code null}
 */
public record ActionSpec(Action action, LocalizedText reason, Duration holdDelay, ApprovalSpec approval) {
    public static final ActionSpec ALLOW = new ActionSpec(Action.ALLOW, null, null, null);

    public ActionSpec {
        Objects.requireNonNull(action, "action");
        if (action == Action.HOLD && holdDelay == null) {
            holdDelay = PolicyLimits.DEFAULT_HOLD_DELAY;
        }
        if (action == Action.APPROVE && approval == null) {
            approval = ApprovalSpec.DEFAULTS;
        }
        if (action != Action.HOLD) {
            holdDelay = null;
        }
        if (action != Action.APPROVE) {
            approval = null;
        }
    }

    public static ActionSpec of(Action action) {
        return new ActionSpec(action, null, null, null);
    }
}
