package jp.mynaguard.proxy.smtp.upstream;

/** Whether the connection to the smarthost is protected with STARTTLS. */
public enum TlsMode {
    /** Plain SMTP; STARTTLS is never attempted (e.g. a smarthost on the same machine). */
    NONE,
    /**
     * STARTTLS when the smarthost offers it, plain SMTP when it does not. Once attempted, a failed
     * handshake or certificate check is a failure: retrying in the clear would let anyone on the
     * path turn TLS off by breaking the handshake.
     */
    OPPORTUNISTIC,
    /**
     * STARTTLS or nothing. A smarthost whose EHLO lacks STARTTLS (stripped by someone on the
     * path, or misconfigured) gets no mail: the transaction fails with a 4xx, it is not downgraded.
     */
    REQUIRED
}
