package jp.mynaguard.proxy.smtp;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMTP AUTH (RFC 4954) with PLAIN and LOGIN against the users file. Offered only over TLS, or to
 * a client on loopback (where nobody can listen), so passwords never cross the network in clear.
 * Hash checks are slow on purpose and run on the worker pool; failures are counted and end the
 * connection after {@link SmtpServerConfig#maxAuthFailures()}.
 */
final class AuthCommand {
    private static final Logger log = LoggerFactory.getLogger(AuthCommand.class);
    static final SmtpReply SUCCESS = SmtpReply.of(235, "2.7.0", "Authentication successful");
    static final SmtpReply INVALID = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    static final SmtpReply TEMPORARY = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    static final SmtpReply NEED_TLS = SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");

    /** Compared against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private static volatile String decoy;

    private final SmtpSessionHandler handler;
    private final SmtpServices services;
    private AuthExchange exchange;

    AuthCommand(SmtpSessionHandler handler, SmtpServices services) {
        this.handler = handler;
        this.services = services;
    }

    boolean inProgress() {
        return exchange != null;
    }

    /** Whether EHLO lists AUTH: there are users, and the channel is TLS or loopback. */
    boolean offered() {
        SmtpSession s = handler.session();
        return !services.config.users().isEmpty() && (s.tls || s.loopback) && !s.authenticated;
    }

    void start(SmtpRequest r) {
        SmtpSession s = handler.session();
        if (s.helo == null || !s.esmtp) {
            handler.respond(SmtpReply.of(503, "5.5.1", "Send EHLO first"));
        } else if (s.authenticated) {
            handler.respond(SmtpReply.of(503, "5.5.1", "Already authenticated"));
        } else if (s.transaction != null) {
            handler.respond(SmtpReply.of(503, "5.5.1", "AUTH not allowed during a mail transaction"));
        } else if (services.config.users().isEmpty()) {
            handler.respond(SmtpReply.of(502, "5.5.1", "Authentication not available"));
        } else if (!s.tls && !s.loopback) {
            handler.respond(services.config.tls() != null ? NEED_TLS
                    : SmtpReply.of(502, "5.5.1", "Authentication not available without TLS"));
        } else if (r.argument().isBlank()) {
            handler.respond(SmtpReply.of(501, "5.5.4", "Syntax: AUTH mechanism"));
        } else {
            exchange = new AuthExchange();
            next(exchange.start(r.argument()));
        }
    }

    /** A frame while the exchange waits for a continuation line. */
    void continuation(Object msg) {
        if (msg instanceof SmtpRequest r) {
            next(exchange.respond(r.line()));
        } else {
            next(new AuthExchange.Failed(AuthExchange.MALFORMED));
        }
    }

    private void next(AuthExchange.Step step) {
        if (step instanceof AuthExchange.Challenge c) {
            handler.reply(SmtpReply.of(334, "", c.text()));
            handler.proceed();
        } else if (step instanceof AuthExchange.Failed f) {
            exchange = null;
            handler.respond(f.reply());
        } else if (step instanceof AuthExchange.Credentials c) {
            exchange = null;
            verify(c);
        }
    }

    private void verify(AuthExchange.Credentials c) {
        SmtpServerConfig config = services.config;
        CompletableFuture<SmtpUser> checked;
        try {
            checked = CompletableFuture.supplyAsync(() -> {
                try {
                    SmtpUser user = config.users().find(c.user()).orElse(null);
                    boolean ok = PasswordHash.verify(c.password(), user == null ? decoy() : user.passwordHash());
                    return ok && user != null ? user : null;
                } finally {
                    Arrays.fill(c.password(), '\0');
                }
            }, services.workers);
        } catch (RejectedExecutionException e) {
            Arrays.fill(c.password(), '\0');
            handler.respond(TEMPORARY);
            return;
        }
        handler.await(checked.thenApply(u -> u == null ? INVALID : SUCCESS), TEMPORARY, reply -> {
            if (handler.isClosed()) {
                return;
            }
            SmtpSession s = handler.session();
            SmtpUser user = checked.getNow(null);
            if (reply == SUCCESS && user != null) {
                s.authenticated = true;
                s.identity = new SenderIdentity(SenderIdentity.Kind.AUTHENTICATED, user.name(), user);
                log.info("client {} authenticated as {}", s.clientIp, user.name());
                handler.respond(SUCCESS);
            } else if (reply == INVALID) {
                log.info("client {}: authentication failed", s.clientIp);
                if (++s.authFailures >= config.maxAuthFailures()) {
                    handler.reply(INVALID);
                    handler.closeWith(SmtpReply.of(421, "4.7.0", config.hostname()
                            + " Too many authentication failures, closing connection"));
                } else {
                    handler.respond(INVALID);
                }
            } else {
                handler.respond(reply);
            }
        });
    }

    private static String decoy() {
        String d = decoy;
        if (d == null) {
            d = PasswordHash.create("decoy".toCharArray());
            decoy = d;
        }
        return d;
    }
}
