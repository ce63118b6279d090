package jp.mynaguard.policy.detect;

/** What kind of number a {@link Finding} is. */
public enum FindingType {
    /** 個人番号: 12 digits, check digit last. Sensitive. */
    MY_NUMBER,
    /** A spreadsheet value such as {@code 2.72034E+11}: a My Number whose digits were lost; cannot be checked. */
    MY_NUMBER_TRUNCATED,
    /** 法人番号: 13 digits, check digit first. Public information. */
    CORPORATE_NUMBER,
    /** 適格請求書発行事業者登録番号: {@code T} + 13 digits. Public information. */
    INVOICE_REG_NO
}
