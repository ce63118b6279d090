package jp.mynaguard.policy.rules;

import java.util.Locale;

/** Whether a rule acts or only records what it would have done. */
public enum Mode {
    ENFORCE, AUDIT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
