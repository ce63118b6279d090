package jp.mynaguard.policy.rules;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Immutable sets with a stable iteration order. {@link Set#copyOf} iterates in an order that
 * changes from one JVM run to the next, which would make explanations and {@code policy test}
 * output differ between runs of the same input.
 */
final class OrderedSets {
    private OrderedSets() {
    }

    /** Declaration order. */
    static <E extends Enum<E>> Set<E> of(Class<E> type, Collection<E> values) {
        EnumSet<E> set = EnumSet.noneOf(type);
        set.addAll(values);
        return Collections.unmodifiableSet(set);
    }

    /** The order written. */
    static Set<String> of(Collection<String> values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
