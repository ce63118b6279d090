/**
 * Where allowed mail goes. {@link jp.mynaguard.proxy.smtp.upstream.SmtpUpstream} relays to the
 * organisation's smarthost over a pooled Netty SMTP client (configured by an immutable
 * {@link jp.mynaguard.proxy.smtp.upstream.UpstreamConfig});
 * {@link jp.mynaguard.proxy.smtp.upstream.OutboxUpstream} writes one {@code .eml} per message
 * when there is no smarthost. Both implement {@link jp.mynaguard.proxy.smtp.Upstream}, whose
 * futures never fail: every problem on the way is a 4xx reply for the client.
 *
 * <p>Everything else here is package-private: the reply decoder, the command and dot-stuffing
 * encoders, the per-connection request/reply pairing, the session setup (EHLO, STARTTLS, AUTH)
 * and the pool.
 */
package jp.mynaguard.proxy.smtp.upstream;
