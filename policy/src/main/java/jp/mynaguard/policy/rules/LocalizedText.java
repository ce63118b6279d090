package jp.mynaguard.policy.rules;

import java.util.Locale;
import java.util.Objects;

/** A text shown to people in Japanese and English (block reasons, notices). */
public record LocalizedText(String ja, String en) {
    public LocalizedText {
        Objects.requireNonNull(ja, "ja");
        Objects.requireNonNull(en, "en");
    }

    /** Japanese for {@code ja*} locales, English otherwise. */
    public String in(Locale locale) {
        return "ja".equals(locale.getLanguage()) ? ja : en;
    }

    @Override
    public String toString() {
        return ja.equals(en) ? ja : ja + " / " + en;
    }
}
