package jp.mynaguard.policy.rules;

import java.util.Objects;

/**
 * One ordered rule: when {@link #when()} holds, {@link #action()} (with {@link #effects()})
 * decides, unless the rule is in {@link Mode#AUDIT} mode, in which case it only records what it
 * would have done and evaluation goes on.
 */
public record Rule(String name, String description, Mode mode, Condition when, ActionSpec action,
                   SideEffects effects, Location location) {
    public Rule {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(effects, "effects");
        Objects.requireNonNull(location, "location");
    }
}
