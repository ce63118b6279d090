package jp.mynaguard.policy.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Combinations of conditions ({@code when} maps, {@code any_of}, {@code not}) and the implication
 * test that the shadowed-rule check is built on.
 */
public final class Conditions {
    private Conditions() {
    }

    /** A {@code when} map: every entry must hold. An empty one matches every message. */
    public record AllOf(List<Condition> parts) implements Condition {
        public AllOf {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean test(MessageFacts facts) {
            for (Condition c : parts) {
                if (!c.test(facts)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String describe() {
            return parts.stream().map(Condition::describe).collect(Collectors.joining(", ", "{", "}"));
        }

        @Override
        public String mismatch(MessageFacts facts) {
            for (Condition c : parts) {
                if (!c.test(facts)) {
                    return c.describe() + ": " + c.mismatch(facts);
                }
            }
            return "matched";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return false;
        }
    }

    /** {@code any_of}: at least one alternative must hold. */
    public record AnyOf(List<Condition> alternatives) implements Condition {
        public AnyOf {
            alternatives = List.copyOf(alternatives);
        }

        @Override
        public boolean test(MessageFacts facts) {
            for (Condition c : alternatives) {
                if (c.test(facts)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "any_of: " + alternatives.stream().map(Condition::describe).collect(Collectors.joining(" | "));
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return alternatives.stream().map(c -> c.mismatch(facts)).collect(Collectors.joining("; and ",
                    "no alternative matched (", ")"));
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return false;
        }
    }

    /** {@code not}: the inner {@code when} map must not hold. */
    public record Not(Condition inner) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            return !inner.test(facts);
        }

        @Override
        public String describe() {
            return "not: " + inner.describe();
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return inner.describe() + " matched";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return false;
        }
    }

    /**
     * Whether every message that satisfies {@code a} also satisfies {@code b}. Sound but not
     * complete: {@code false} means "not proven", which keeps the shadowed-rule check from ever
     * rejecting a rule that can in fact match.
     */
    public static boolean implies(Condition a, Condition b) {
        if (a.equals(b)) {
            return true;
        }
        if (b instanceof AllOf all) {
            for (Condition part : all.parts()) {
                if (!implies(a, part)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof AnyOf any) {
            for (Condition alt : any.alternatives()) {
                if (!implies(alt, b)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof AllOf all) {
            for (Condition part : all.parts()) {
                if (implies(part, b)) {
                    return true;
                }
            }
        }
        if (b instanceof AnyOf any) {
            for (Condition alt : any.alternatives()) {
                if (implies(a, alt)) {
                    return true;
                }
            }
            return false;
        }
        if (a instanceof Not na && b instanceof Not nb) {
            return implies(nb.inner(), na.inner());
        }
        return a.impliesLeaf(b);
    }
}
