package jp.mynaguard.proxy.smtp;

/**
 * Told what happens between the gateway and its upstream, for metrics and readiness. Called on
 * I/O threads: implementations must be quick and must not block or throw.
 */
public interface UpstreamObserver {
    /** Observes nothing. */
    UpstreamObserver NONE = new UpstreamObserver() {
        @Override
        public void reached() {
        }

        @Override
        public void failed(String kind) {
        }
    };

    /** The upstream answered: a session was set up, or a command got a reply (even a refusal). */
    void reached();

    /**
     * Talking to the upstream failed. {@code kind} is a fixed word, never a message: unreachable,
     * timeout, connection_lost, protocol, tls, auth, local (reading our own content) or outbox.
     */
    void failed(String kind);

    /** A TLS handshake with the upstream failed (also reported as {@code failed("tls")}). */
    default void tlsHandshakeFailed(Throwable cause) {
    }
}
