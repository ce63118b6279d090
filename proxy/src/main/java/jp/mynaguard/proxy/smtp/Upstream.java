package jp.mynaguard.proxy.smtp;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where allowed mail goes: the organisation's smarthost, or (embedded default) the outbox
 * directory. Modelled on Postfix's before-queue proxy: the transaction is opened upstream while
 * the client is still talking to us, so RCPT and end-of-DATA replies can be the upstream's own,
 * and nothing allowed is ever stored by us.
 *
 * <p>Futures never complete exceptionally: an unreachable, slow or broken upstream completes
 * them with a 4xx {@link SmtpReply} (e.g. {@code 451 4.4.1}), so the client keeps the message.
 */
public interface Upstream extends AutoCloseable {
    /**
     * Opens a transaction: connection (pooled), EHLO, STARTTLS and AUTH as configured, MAIL FROM.
     *
     * @param mailFrom   reverse path without angle brackets ({@code ""} for the null sender)
     * @param parameters MAIL parameters to pass on (e.g. BODY=8BITMIME, SMTPUTF8, SIZE=n), upper-case keys
     */
    CompletableFuture<UpstreamTransaction> begin(String mailFrom, Map<String, String> parameters);

    /** What the upstream supports, as far as known (learned from its EHLO), for our own EHLO. */
    UpstreamCapabilities capabilities();

    /** Reports sessions and failures to {@code observer} (metrics, readiness). Default: nothing to report. */
    default void observe(UpstreamObserver observer) {
    }

    /**
     * Readiness: whether the upstream can take mail now (for the smarthost client, a session is set
     * up, and left in the pool). Completes with {@code false} rather than exceptionally. Default:
     * {@code true}, for upstreams with nothing to reach.
     */
    default CompletableFuture<Boolean> probeReachable() {
        return CompletableFuture.completedFuture(true);
    }

    @Override
    void close();
}
