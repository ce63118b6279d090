package jp.mynaguard.proxy.smtp;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.proxy.ReferenceId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MAIL, RCPT and DATA. The upstream transaction is opened at MAIL and hears every RCPT, so the
 * client's replies are the upstream's own (before-queue); local checks (identity, syntax, SIZE,
 * recipient limit) come first so a refused command never reaches the upstream.
 */
final class MailCommands {
    private static final Logger log = LoggerFactory.getLogger(MailCommands.class);
    static final SmtpReply UPSTREAM_UNAVAILABLE = SmtpReply.of(451, "4.4.1", "Upstream server not available, try again later");
    static final SmtpReply DECISION_FAILED = SmtpReply.of(451, "4.3.0", "Temporary local problem, try again later");

    private final SmtpSessionHandler handler;
    private final SmtpServices services;
    private final SmtpServerConfig config;
    private final SmtpFrameDecoder frames;
    private final SessionTimeouts timeouts;
    private final DataSpooler spooler;

    MailCommands(SmtpSessionHandler handler, SmtpServices services, SmtpFrameDecoder frames, SessionTimeouts timeouts,
                 DataSpooler spooler) {
        this.handler = handler;
        this.services = services;
        this.config = services.config;
        this.frames = frames;
        this.timeouts = timeouts;
        this.spooler = spooler;
    }

    void mail(SmtpRequest r) {
        SmtpSession s = handler.session();
        if (handler.closing()) {
            handler.closeWith(SmtpSessionHandler.SHUTTING_DOWN);
            return;
        }
        if (s.helo == null) {
            handler.respond(SmtpSessionHandler.NEED_HELO);
            return;
        }
        if (s.transaction != null) {
            handler.respond(SmtpReply.of(503, "5.5.1", "Nested MAIL command"));
            return;
        }
        if (s.identity == null) {
            handler.respond(SmtpReply.of(530, "5.7.0", "Authentication required"));
            return;
        }
        MailArguments args;
        try {
            args = MailArguments.parse(r.argument(), "FROM:");
        } catch (MailArguments.SyntaxException e) {
            handler.respond(SmtpReply.of(501, "5.5.4", e.getMessage()));
            return;
        }
        Map<String, String> upstreamParams = new LinkedHashMap<>();
        SmtpReply bad = mailParameters(args, upstreamParams);
        if (bad != null) {
            handler.respond(bad);
            return;
        }
        boolean smtpUtf8 = args.parameters().containsKey("SMTPUTF8");
        if ((args.needsUtf8() || r.utf8()) && !smtpUtf8) {
            handler.respond(SmtpReply.of(553, "5.6.7", "Non-ASCII address requires SMTPUTF8"));
            return;
        }
        if (!args.address().isEmpty() && s.identity.hasUser() && config.senderCheck() == SenderCheck.ENFORCE
                && !s.identity.owns(args.address())) {
            log.info("client {} user {}: MAIL FROM {} refused, not the user's address", s.clientIp,
                    s.identity.userName(), NumberGuard.redact(args.address()));
            handler.respond(SmtpReply.of(550, "5.7.1", "Sender address rejected: not owned by the authenticated user"));
            return;
        }
        MailTransaction t = new MailTransaction(ReferenceId.next(), args.address(), args.parameters(), smtpUtf8,
                Instant.now(services.clock));
        s.transaction = t;
        CompletableFuture<SmtpReply> opened = safely(() -> services.upstream.begin(args.address(), upstreamParams))
                .thenApply(u -> {
                    if (u.mailReply().positive()) {
                        t.upstream(u);
                    }
                    return u.mailReply();
                });
        handler.await(opened, UPSTREAM_UNAVAILABLE, reply -> {
            if (handler.isClosed() || s.transaction != t) {
                t.abort();
                return;
            }
            if (t.upstream() == null) {
                s.transaction = null;
            } else {
                timeouts.cancelDeadline(SessionTimeouts.Timeout.MAIL_DEADLINE);
            }
            handler.respond(reply);
        });
    }

    /** Checks MAIL parameters (only those we advertise) and collects what the upstream should see. */
    private SmtpReply mailParameters(MailArguments args, Map<String, String> upstream) {
        UpstreamCapabilities caps = services.upstream.capabilities();
        for (Map.Entry<String, String> p : args.parameters().entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> {
                    long declared;
                    try {
                        declared = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return SmtpReply.of(501, "5.5.4", "Bad SIZE parameter");
                    }
                    if (declared > services.maxMessageSize()) {
                        return DataSpooler.TOO_LARGE;
                    }
                }
                case "BODY" -> {
                    String body = value.toUpperCase(Locale.ROOT);
                    if (!body.equals("7BIT") && !(body.equals("8BITMIME") && caps.eightBitMime())) {
                        return SmtpReply.of(555, "5.5.4", "Unsupported BODY parameter");
                    }
                    if (caps.eightBitMime()) {
                        upstream.put("BODY", body);
                    }
                }
                case "SMTPUTF8" -> {
                    if (!value.isEmpty() || !caps.smtpUtf8()) {
                        return SmtpReply.of(555, "5.5.4", "SMTPUTF8 not supported");
                    }
                    upstream.put("SMTPUTF8", "");
                }
                case "AUTH" -> {
                    // RFC 4954 §5: a relay may ignore the AUTH= parameter of a message it submits.
                }
                default -> {
                    return SmtpReply.of(555, "5.5.4", "Unsupported MAIL parameter");
                }
            }
        }
        return null;
    }

    void rcpt(SmtpRequest r) {
        SmtpSession s = handler.session();
        MailTransaction t = s.transaction;
        if (t == null) {
            handler.respond(SmtpReply.of(503, "5.5.1", "Need MAIL before RCPT"));
            return;
        }
        MailArguments args;
        try {
            args = MailArguments.parse(r.argument(), "TO:");
        } catch (MailArguments.SyntaxException e) {
            handler.respond(SmtpReply.of(501, "5.1.3", "Bad recipient address syntax"));
            return;
        }
        if (args.address().isEmpty()) {
            handler.respond(SmtpReply.of(501, "5.1.3", "Bad recipient address syntax"));
            return;
        }
        if (!args.parameters().isEmpty()) {
            handler.respond(SmtpReply.of(555, "5.5.4", "Unsupported RCPT parameter"));
            return;
        }
        if (args.needsUtf8() && !t.smtpUtf8) {
            handler.respond(SmtpReply.of(553, "5.6.7", "Non-ASCII address requires SMTPUTF8"));
            return;
        }
        if (t.recipients.size() >= config.maxRecipients()) {
            // 452 (not 5xx): RFC 5321 §4.5.3.1.10, the client sends the rest in another transaction.
            handler.respond(SmtpReply.of(452, "4.5.3", "Too many recipients"));
            return;
        }
        CompletableFuture<SmtpReply> added = safely(() -> t.upstream().rcpt(args.address()));
        handler.await(added, UPSTREAM_UNAVAILABLE, reply -> {
            if (handler.isClosed() || s.transaction != t) {
                return;
            }
            if (reply.positive()) {
                t.recipients.add(args.address());
            }
            handler.respond(reply);
        });
    }

    void data(SmtpRequest r) {
        SmtpSession s = handler.session();
        MailTransaction t = s.transaction;
        if (!r.argument().isEmpty()) {
            handler.respond(SmtpReply.of(501, "5.5.4", "Syntax: DATA"));
        } else if (t == null) {
            handler.respond(SmtpReply.of(503, "5.5.1", "Need MAIL command"));
        } else if (t.recipients.isEmpty()) {
            handler.respond(SmtpReply.of(554, "5.5.1", "No valid recipients"));
        } else {
            s.inData = true;
            handler.reply(SmtpReply.of(354, "", "End data with <CR><LF>.<CR><LF>"));
            ZonedDateTime now = ZonedDateTime.now(services.clock);
            byte[] received = ReceivedHeader.build(s.helo, s.clientIp, config.hostname(), s.protocol(), s.tlsDetails,
                    t.referenceId, t.recipients, now);
            byte[] messageId = ReceivedHeader.messageId(t.referenceId, config.hostname(), now.toInstant().toEpochMilli());
            spooler.begin(received, messageId, services.maxMessageSize());
            timeouts.startDeadline(SessionTimeouts.Timeout.DATA_DEADLINE, config.dataDeadline());
            timeouts.waitForClient(config.dataIdleTimeout());
            frames.startData();
        }
    }

    /** The final dot: refuse what the spooler refused, else hand the message to the processor. */
    void dataReceived(ReceivedData data) {
        SmtpSession s = handler.session();
        MailTransaction t = s.transaction;
        s.inData = false;
        s.transaction = null;
        timeouts.cancelDeadline(SessionTimeouts.Timeout.DATA_DEADLINE);
        if (t == null || data.refusal() != null) {
            if (t != null) {
                t.abort();
            }
            if (data.message() != null) {
                data.message().close();
            }
            finished(data.refusal() != null ? data.refusal() : DECISION_FAILED);
            return;
        }
        Submission submission = new Submission(t.referenceId, s.clientIp, s.identity, t.mailFrom, t.recipients,
                t.takeUpstream(), data.message(), t.started, data.clientBytes());
        CompletableFuture<SmtpReply> decided = safely(() -> services.processor.process(submission))
                .orTimeout(config.decisionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        handler.await(decided, DECISION_FAILED, this::finished);
    }

    private void finished(SmtpReply reply) {
        if (handler.isClosed()) {
            return;
        }
        SmtpSession s = handler.session();
        s.junk = 0;
        // The final reply of a message is not a protocol error: a blocked message must not count towards the error limit.
        handler.context().writeAndFlush(reply);
        timeouts.startDeadline(SessionTimeouts.Timeout.MAIL_DEADLINE, config.mailDeadline());
        handler.proceed();
    }

    /** Turns a throwing call into a failed future, so every path goes through {@link SmtpSessionHandler#await}. */
    private static <T> CompletableFuture<T> safely(java.util.function.Supplier<CompletableFuture<T>> call) {
        try {
            CompletableFuture<T> f = call.get();
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("null future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
