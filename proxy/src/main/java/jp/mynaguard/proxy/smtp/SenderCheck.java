package jp.mynaguard.proxy.smtp;

/** Whether MAIL FROM and the From header must belong to the sending user. */
public enum SenderCheck {
    /** Refuse with 550 5.7.1 when they do not: nobody may send as a colleague to dodge a rule. */
    ENFORCE,
    /** Accept any sender address (for migration; the policy still sees the authenticated user). */
    OFF
}
