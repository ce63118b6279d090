package jp.mynaguard.proxy.smtp;

/**
 * What to do with a bare LF (an LF not preceded by CR) in message content. A bare CR is always
 * refused. Either way, end-of-data is only ever {@code CRLF . CRLF} (SMTP smuggling).
 */
public enum BareLineEndPolicy {
    /** Treat the bare LF as CRLF (Postfix 3.9's default): legacy scanners and scripts send them. */
    NORMALIZE,
    /** Read to the end of data, then refuse the message with 550. */
    REJECT
}
