package jp.mynaguard.policy.rules;

import java.util.List;

/**
 * Finds rules that can never match because an earlier enforce rule matches every message they
 * match (first match wins). Built on {@link Conditions#implies}, which is sound: a rule reported
 * here is certainly dead; a dead rule the check cannot prove stays unreported.
 */
final class ShadowCheck {
    private ShadowCheck() {
    }

    static void check(List<Rule> rules, Diagnostics out) {
        for (int j = 1; j < rules.size(); j++) {
            Rule later = rules.get(j);
            for (int i = 0; i < j; i++) {
                Rule earlier = rules.get(i);
                // An audit rule lets evaluation go on, so it cannot hide anything after it.
                if (earlier.mode() == Mode.ENFORCE && Conditions.implies(later.when(), earlier.when())) {
                    out.error(later.location(), "rule '" + later.name() + "' can never match: rule '"
                            + earlier.name() + "' (line " + earlier.location().line() + ") comes first and matches"
                            + " every message this one matches; move this rule above it or narrow '"
                            + earlier.name() + "'");
                    break;
                }
            }
        }
    }
}
