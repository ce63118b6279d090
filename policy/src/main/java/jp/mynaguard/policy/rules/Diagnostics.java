package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem of one load, so the admin sees all of them at once, capped at
 * {@link PolicyLimits#MAX_DIAGNOSTICS} so that a garbage file cannot produce a flood.
 */
final class Diagnostics {
    private final List<Diagnostic> list = new ArrayList<>();
    private int dropped;

    void error(Location at, String message) {
        add(Diagnostic.error(at, message));
    }

    void warning(Location at, String message) {
        add(Diagnostic.warning(at, message));
    }

    void add(Diagnostic d) {
        if (list.size() < PolicyLimits.MAX_DIAGNOSTICS) {
            list.add(d);
        } else {
            dropped++;
        }
    }

    boolean hasErrors() {
        return dropped > 0 || list.stream().anyMatch(Diagnostic::isError);
    }

    int errorCount() {
        return (int) list.stream().filter(Diagnostic::isError).count();
    }

    /** Sorted by file, line, column; a last line says how many were left out. */
    List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(list);
        out.sort(Comparator.comparing((Diagnostic d) -> d.location().file())
                .thenComparingInt(d -> d.location().line())
                .thenComparingInt(d -> d.location().column()));
        if (dropped > 0) {
            Location last = out.get(out.size() - 1).location();
            out.add(Diagnostic.error(last, dropped + " more problems not shown (limit "
                    + PolicyLimits.MAX_DIAGNOSTICS + ")"));
        }
        return List.copyOf(out);
    }
}
