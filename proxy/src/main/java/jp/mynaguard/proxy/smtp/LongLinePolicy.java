package jp.mynaguard.proxy.smtp;

/** What to do with a message text line longer than {@link SmtpLimits#MAX_TEXT_LINE} octets. */
public enum LongLinePolicy {
    /** Read to the end of data, then refuse the message with 550 (RFC 5321 §4.5.3.1.6). */
    REJECT,
    /** Break the line with CRLF and a space, as Sendmail and Haraka do; changes the content. */
    FOLD
}
