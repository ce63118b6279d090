package jp.mynaguard.policy.rules;

import java.util.Locale;

/** How the content leaves: outgoing mail or a web upload. */
public enum Channel {
    SMTP, HTTP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
