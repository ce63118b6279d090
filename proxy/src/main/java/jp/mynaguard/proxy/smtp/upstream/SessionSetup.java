package jp.mynaguard.proxy.smtp.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.netty.handler.ssl.SslContext;
import jp.mynaguard.proxy.smtp.SmtpReply;

/**
 * Takes a fresh connection from the greeting to "ready for MAIL": EHLO (HELO as a fallback for
 * ancient servers when neither TLS nor AUTH is wanted), STARTTLS per {@link TlsMode} with a new
 * EHLO afterwards (capabilities seen before TLS are discarded, they may have been forged), and
 * AUTH PLAIN or LOGIN when configured.
 */
final class SessionSetup {
    private final UpstreamConfig config;
    private final SslContext sslContext;

    SessionSetup(UpstreamConfig config, SslContext sslContext) {
        this.config = config;
        this.sslContext = sslContext;
    }

    CompletableFuture<UpstreamConnection> run(UpstreamConnection c) {
        return c.greeting()
                .thenCompose(greeting -> {
                    if (greeting.code() != 220) {
                        throw failure(UpstreamException.unreachable("the smarthost greeted with " + greeting.code(), null));
                    }
                    return ehlo(c);
                })
                .thenCompose(v -> tls(c))
                .thenCompose(v -> auth(c))
                .thenApply(v -> c);
    }

    private CompletableFuture<Void> ehlo(UpstreamConnection c) {
        return c.command(ClientCommand.of("EHLO", config.ehloName())).thenCompose(reply -> {
            if (reply.code() == 250) {
                c.capabilities(EhloCapabilities.parse(reply));
                return CompletableFuture.<Void>completedFuture(null);
            }
            boolean needsEsmtp = config.tls() == TlsMode.REQUIRED || config.authenticates();
            if (!reply.permanentFailure() || needsEsmtp) {
                throw failure(UpstreamException.protocol("the smarthost refused EHLO with " + reply.code(), null));
            }
            return c.command(ClientCommand.of("HELO", config.ehloName())).thenAccept(helo -> {
                if (helo.code() != 250) {
                    throw failure(UpstreamException.protocol("the smarthost refused HELO with " + helo.code(), null));
                }
                c.capabilities(EhloCapabilities.NONE);
            });
        });
    }

    private CompletableFuture<Void> tls(UpstreamConnection c) {
        if (config.tls() == TlsMode.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        if (!c.capabilities().startTls()) {
            if (config.tls() == TlsMode.REQUIRED) {
                throw failure(UpstreamException.tls("TLS is required but the smarthost does not offer STARTTLS", null));
            }
            return CompletableFuture.completedFuture(null);
        }
        return c.startTls(sslContext.newHandler(c.channel().alloc(), config.host(), config.port()))
                .thenCompose(reply -> {
                    if (reply.code() != 220) {
                        throw failure(UpstreamException.tls("the smarthost refused STARTTLS with " + reply.code(), null));
                    }
                    c.capabilities(EhloCapabilities.NONE);
                    return ehlo(c);
                });
    }

    private CompletableFuture<Void> auth(UpstreamConnection c) {
        if (!config.authenticates()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!c.tlsActive() && !config.allowPlaintextAuth()) {
            throw failure(UpstreamException.auth("not sending the smarthost password over an unencrypted connection"));
        }
        Set<String> mechanisms = c.capabilities().authMechanisms();
        if (mechanisms.contains("PLAIN")) {
            String token = base64("\0" + config.username() + "\0" + config.password());
            return c.command(ClientCommand.secret("AUTH", "PLAIN " + token)).thenAccept(SessionSetup::expectAuthenticated);
        }
        if (mechanisms.contains("LOGIN")) {
            return c.command(ClientCommand.of("AUTH", "LOGIN"))
                    .thenCompose(r -> continueLogin(c, r, config.username()))
                    .thenCompose(r -> continueLogin(c, r, config.password()))
                    .thenAccept(SessionSetup::expectAuthenticated);
        }
        throw failure(UpstreamException.auth("the smarthost offers neither AUTH PLAIN nor AUTH LOGIN"));
    }

    private static CompletableFuture<SmtpReply> continueLogin(UpstreamConnection c, SmtpReply challenge, String answer) {
        if (challenge.code() != 334) {
            throw failure(UpstreamException.auth("the smarthost answered AUTH LOGIN with " + challenge.code()));
        }
        return c.command(ClientCommand.secret(base64(answer), ""));
    }

    /** RFC 4954 says 235; any 2xx is taken as success (Postfix's smtp-sink answers 250). */
    private static void expectAuthenticated(SmtpReply reply) {
        if (reply.code() / 100 != 2) {
            throw failure(UpstreamException.auth("the smarthost refused our credentials with " + reply.code()));
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static CompletionException failure(UpstreamException e) {
        return new CompletionException(e);
    }
}
