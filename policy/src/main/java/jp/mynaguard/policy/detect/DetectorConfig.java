package jp.mynaguard.policy.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link Detector} treats as context: keyword lists and window sizes (spec §6.5).
 * Immutable; every default lives in the constants below, as do the fixed thresholds of the
 * input-wide rules that {@link FindingCollector} applies.
 *
 * <p>Keywords are compared after NFKC and lower-casing, so {@code ﾏｲﾅﾝﾊﾞｰ}, {@code ＭＹ ＮＵＭＢＥＲ}
 * and {@code My Number} all hit. Keywords made only of ASCII match whole words only. An ASCII
 * keyword of several words also matches as written in field names: joined ({@code mynumber},
 * which with lower-casing covers {@code myNumber}), snake_case and kebab-case. Data exported from
 * HR systems, JSON APIs and web forms names its columns that way.
 */
public final class DetectorConfig {
    /** Positive context for Individual Numbers (Purview's list plus romanised forms). */
    public static final List<String> DEFAULT_MY_NUMBER_KEYWORDS = List.of(
            "マイナンバーカード番号", "マイナンバーカード", "個人番号カード", "マイナンバー", "個人番号",
            "通知カード", "共通番号", "個人識別番号", "個人識別ナンバー",
            "my number", "individual number", "kojin bango");
    /** Positive context for Corporate Numbers. */
    public static final List<String> DEFAULT_CORPORATE_KEYWORDS = List.of(
            "法人番号", "指定通知書", "corporate number", "houjin bango", "hojin bango");
    /** Words right before a number that make it probably something else (phone, order, parcel...). */
    public static final List<String> DEFAULT_NEGATIVE_WORDS = List.of(
            "電話", "tel", "fax", "携帯", "注文", "受注", "伝票", "問い合わせ番号", "問合せ番号", "追跡",
            "送り状", "口座", "カード番号", "card", "免許", "license", "jan", "商品コード", "バーコード",
            "gtin", "ean", "aadhaar", "会員番号", "請求書番号", "order", "tracking", "日時", "法人等番号");
    /** Chars before and after a number searched for positive keywords (Purview parity). */
    public static final int DEFAULT_POSITIVE_WINDOW = 300;
    /** Chars before a number, on its line, searched for negative words. */
    public static final int DEFAULT_NEGATIVE_WINDOW = 30;

    /** A3 (§6.6): a table column with at least this many twelve-digit values... */
    public static final int COLUMN_RULE_MIN_VALUES = 5;
    /** ...of which at least this share (percent) pass the check digit makes all of them HIGH. */
    public static final int COLUMN_RULE_MIN_VALID_PERCENT = 90;
    /** A2 (§6.6): this many distinct My Numbers at MEDIUM or above in one input are all HIGH. */
    public static final int A2_MIN_NUMBERS = 2;

    private static final DetectorConfig DEFAULTS = builder().build();

    private final List<String> myNumberKeywords;
    private final List<String> corporateKeywords;
    private final List<String> negativeWords;
    private final int positiveWindow;
    private final int negativeWindow;

    private DetectorConfig(Builder b) {
        this.myNumberKeywords = Collections.unmodifiableList(withFieldNameForms(b.myNumberKeywords));
        this.corporateKeywords = Collections.unmodifiableList(withFieldNameForms(b.corporateKeywords));
        this.negativeWords = Collections.unmodifiableList(new ArrayList<>(b.negativeWords));
        this.positiveWindow = b.positiveWindow;
        this.negativeWindow = b.negativeWindow;
    }

    /**
     * The keywords plus, for each ASCII keyword of several words, its joined, snake_case and
     * kebab-case forms (each once, after the written form, so reasons name the written form).
     */
    static List<String> withFieldNameForms(List<String> keywords) {
        List<String> out = new ArrayList<>(keywords);
        for (String k : keywords) {
            if (k.indexOf(' ') > 0 && k.chars().allMatch(c -> c < 128)) {
                for (String sep : new String[] {"", "_", "-"}) {
                    String form = k.replace(" ", sep);
                    if (!out.contains(form)) {
                        out.add(form);
                    }
                }
            }
        }
        return out;
    }

    public static DetectorConfig defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults; the {@code add...} methods extend the default lists. */
    public static Builder builder() {
        return new Builder();
    }

    public List<String> myNumberKeywords() {
        return myNumberKeywords;
    }

    public List<String> corporateKeywords() {
        return corporateKeywords;
    }

    public List<String> negativeWords() {
        return negativeWords;
    }

    public int positiveWindow() {
        return positiveWindow;
    }

    public int negativeWindow() {
        return negativeWindow;
    }

    @Override
    public String toString() {
        return "DetectorConfig{myNumberKeywords=" + myNumberKeywords.size() + ", corporateKeywords="
                + corporateKeywords.size() + ", negativeWords=" + negativeWords.size() + ", positiveWindow="
                + positiveWindow + ", negativeWindow=" + negativeWindow + "}";
    }

    public static final class Builder {
        private final List<String> myNumberKeywords = new ArrayList<>(DEFAULT_MY_NUMBER_KEYWORDS);
        private final List<String> corporateKeywords = new ArrayList<>(DEFAULT_CORPORATE_KEYWORDS);
        private final List<String> negativeWords = new ArrayList<>(DEFAULT_NEGATIVE_WORDS);
        private int positiveWindow = DEFAULT_POSITIVE_WINDOW;
        private int negativeWindow = DEFAULT_NEGATIVE_WINDOW;

        private Builder() {
        }

        public Builder addMyNumberKeywords(String... keywords) {
            return add(myNumberKeywords, keywords);
        }

        public Builder addCorporateKeywords(String... keywords) {
            return add(corporateKeywords, keywords);
        }

        public Builder addNegativeWords(String... words) {
            return add(negativeWords, words);
        }

        /** Chars (code points of the folded text) searched before and after a number; at least 0. */
        public Builder positiveWindow(int chars) {
            this.positiveWindow = nonNegative(chars, "positiveWindow");
            return this;
        }

        /** Chars searched before a number for negative words; at least 0. */
        public Builder negativeWindow(int chars) {
            this.negativeWindow = nonNegative(chars, "negativeWindow");
            return this;
        }

        public DetectorConfig build() {
            return new DetectorConfig(this);
        }

        private Builder add(List<String> list, String... words) {
            for (String w : words) {
                if (Objects.requireNonNull(w, "keyword").isBlank()) {
                    throw new IllegalArgumentException("blank keyword");
                }
                list.add(w);
            }
            return this;
        }

        private static int nonNegative(int v, String name) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + v);
            }
            return v;
        }
    }
}
