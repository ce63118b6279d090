package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import javax.net.ssl.SSLSession;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ESMTP state machine for one connection: greeting, HELO/EHLO, STARTTLS, the limits, QUIT,
 * timeouts and shutdown, and the strict one-command-at-a-time rhythm (each command is answered
 * before the next is decoded, which is what makes PIPELINING safe with replies that come from the
 * upstream). MAIL/RCPT/DATA live in {@link MailCommands}, AUTH in {@link AuthCommand}.
 */
final class SmtpSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SmtpSessionHandler.class);

    static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "OK");
    static final SmtpReply SHUTTING_DOWN = SmtpReply.of(421, "4.3.2", "Service shutting down, try again later");
    static final SmtpReply NEED_HELO = SmtpReply.of(503, "5.5.1", "Send HELO or EHLO first");

    private final SmtpServices services;
    private final SmtpServerConfig config;
    private final SmtpFrameDecoder frames;
    private final SessionTimeouts timeouts;
    private final MailCommands mail;
    private final AuthCommand auth;

    private ChannelHandlerContext ctx;
    private SmtpSession session;
    private CommandRateLimiter rate;
    private boolean busy;
    private boolean closing;
    private boolean closed;
    private boolean tlsPending;

    SmtpSessionHandler(SmtpServices services, SmtpFrameDecoder frames, SessionTimeouts timeouts, DataSpooler spooler) {
        this.services = services;
        this.config = services.config;
        this.frames = frames;
        this.timeouts = timeouts;
        this.mail = new MailCommands(this, services, frames, timeouts, spooler);
        this.auth = new AuthCommand(this, services);
    }

    SmtpSession session() {
        return session;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    boolean closing() {
        return closing;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        this.session = new SmtpSession(remote, baseIdentity(remote));
        this.rate = new CommandRateLimiter(config.commandsPerSecond(), config.commandBurst(), System.nanoTime());
        ctx.writeAndFlush(SmtpReply.of(220, "", config.hostname() + " ESMTP Mynaguard ready"));
        timeouts.startDeadline(SessionTimeouts.Timeout.MAIL_DEADLINE, config.mailDeadline());
        proceed();
        ctx.fireChannelActive();
    }

    private SenderIdentity baseIdentity(InetSocketAddress remote) {
        String mapped = config.mappedUser(remote.getAddress());
        if (mapped != null) {
            SmtpUser user = config.users().find(mapped).orElse(null);
            if (user == null) {
                log.warn("client {} is mapped to user {}, who is not in the users file; every sender will be refused",
                        remote.getAddress().getHostAddress(), mapped);
            }
            return new SenderIdentity(SenderIdentity.Kind.MAPPED, mapped, user);
        }
        return config.isRelayClient(remote.getAddress()) ? SenderIdentity.RELAY : null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closed) {
                return;
            }
            if (msg instanceof ReceivedData data) {
                mail.dataReceived(data);
            } else if (auth.inProgress()) {
                auth.continuation(msg);
            } else if (msg instanceof SmtpRequest request) {
                command(request);
            } else if (msg instanceof LineError error) {
                reply(error.reply());
                proceed();
            } else if (msg == SmtpCommandDecoder.MALFORMED) {
                reply(SmtpReply.of(500, "5.5.2", "Syntax error: invalid characters in command"));
                proceed();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void command(SmtpRequest r) {
        long now = System.nanoTime();
        if (!rate.tryAcquire(now)) {
            // Tarpit: answer later instead of now; nothing is read in the meantime.
            busy = true;
            timeouts.working();
            ctx.executor().schedule(() -> {
                busy = false;
                if (!closed) {
                    command(r);
                }
            }, Math.max(1, rate.nanosUntilToken(now)), java.util.concurrent.TimeUnit.NANOSECONDS);
            return;
        }
        if (r.verb().junk() && ++session.junk > config.maxJunkCommands()) {
            closeWith(SmtpReply.of(421, "4.7.0", config.hostname() + " Too many commands without mail, closing connection"));
            return;
        }
        switch (r.verb()) {
            case EHLO, HELO -> hello(r);
            case MAIL -> mail.mail(r);
            case RCPT -> mail.rcpt(r);
            case DATA -> mail.data(r);
            case RSET -> {
                abandonTransaction();
                respond(OK);
            }
            case NOOP -> respond(OK);
            case QUIT -> {
                session.abortTransaction();
                frames.stop();
                closed = true;
                ctx.writeAndFlush(SmtpReply.of(221, "2.0.0", config.hostname() + " closing connection"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            case STARTTLS -> startTls(r);
            case AUTH -> auth.start(r);
            case VRFY -> respond(SmtpReply.of(502, "5.5.1", "VRFY command is disabled"));
            case EXPN -> respond(SmtpReply.of(502, "5.5.1", "EXPN command is disabled"));
            case HELP -> respond(SmtpReply.of(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT STARTTLS AUTH"));
            case BDAT -> respond(SmtpReply.of(502, "5.5.1", "BDAT is not supported (CHUNKING is not offered)"));
            default -> respond(SmtpReply.of(500, "5.5.2", "Command not recognized"));
        }
    }

    private void hello(SmtpRequest r) {
        String name = r.argument().trim();
        if (name.isEmpty() || name.indexOf(' ') >= 0 && r.verb() == SmtpVerb.HELO) {
            respond(SmtpReply.of(501, "5.5.4", "Syntax: " + r.verb() + " hostname"));
            return;
        }
        // RFC 5321 §4.1.4: EHLO/HELO mid-transaction resets it.
        abandonTransaction();
        session.helo = name;
        session.esmtp = r.verb() == SmtpVerb.EHLO;
        if (!session.esmtp) {
            respond(SmtpReply.of(250, "", config.hostname()));
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(config.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + services.maxMessageSize());
        UpstreamCapabilities up = services.upstream.capabilities();
        if (up.eightBitMime()) {
            lines.add("8BITMIME");
        }
        lines.add("ENHANCEDSTATUSCODES");
        if (up.smtpUtf8()) {
            lines.add("SMTPUTF8");
        }
        if (config.tls() != null && !session.tls) {
            lines.add("STARTTLS");
        }
        if (auth.offered()) {
            lines.add("AUTH " + AuthExchange.MECHANISMS);
        }
        respond(new SmtpReply(250, "", lines));
    }

    /** Ends an open transaction without a message; the clock to the next MAIL starts again. */
    private void abandonTransaction() {
        if (session.transaction != null) {
            session.abortTransaction();
            timeouts.startDeadline(SessionTimeouts.Timeout.MAIL_DEADLINE, config.mailDeadline());
        }
    }

    private void startTls(SmtpRequest r) {
        if (config.tls() == null) {
            respond(SmtpReply.of(502, "5.5.1", "STARTTLS not available"));
        } else if (!r.argument().isEmpty()) {
            respond(SmtpReply.of(501, "5.5.4", "Syntax: STARTTLS"));
        } else if (session.tls) {
            respond(SmtpReply.of(503, "5.5.1", "TLS already active"));
        } else if (session.authenticated) {
            // Session fixation (JAMES cbb114f1ee): an identity from the clear-text part must not carry over.
            respond(SmtpReply.of(503, "5.5.1", "STARTTLS not allowed after AUTH"));
        } else if (session.transaction != null) {
            respond(SmtpReply.of(503, "5.5.1", "STARTTLS not allowed during a mail transaction"));
        } else if (frames.hasBufferedInput()) {
            // Bytes after STARTTLS in the same flight were sent in clear text; processing them after the
            // handshake would let an attacker inject commands into the protected session (CVE-2011-0411).
            log.warn("client {} pipelined data after STARTTLS; closing", session.clientIp);
            closeWith(SmtpReply.of(501, "5.5.1", "Data pipelined after STARTTLS, closing connection"));
        } else {
            SslHandler ssl = new SslHandler(config.tls().newEngine(ctx.alloc()), true);
            ctx.pipeline().addFirst("tls", ssl);
            session.resetForTls();
            tlsPending = true;
            timeouts.working();
            ctx.writeAndFlush(SmtpReply.of(220, "2.0.0", "Ready to start TLS"));
            // The handshake needs the ClientHello; with auto-read off someone has to ask for it.
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && tlsPending) {
            tlsPending = false;
            if (!done.isSuccess()) {
                // The reason only: Netty's message for a non-TLS record is a hex dump of the client's bytes.
                log.info("TLS handshake with {} failed: {}", session.clientIp,
                        services.metrics.tlsHandshakeFailed(jp.mynaguard.proxy.ops.GatewayMetrics.Listener.SMTP, done.cause()));
                closed = true;
                ctx.close();
                return;
            }
            SSLSession s = ctx.pipeline().get(SslHandler.class).engine().getSession();
            session.tls = true;
            session.tlsDetails = s.getProtocol() + " with cipher " + s.getCipherSuite();
            proceed();
        } else if (evt instanceof SessionTimeouts.Timeout t) {
            log.info("client {}: {}", session.clientIp, t.text.toLowerCase(java.util.Locale.ROOT));
            closeWith(SmtpReply.of(421, "4.4.2", config.hostname() + " " + t.text + ", closing connection"));
        } else if (evt == ShutdownEvent.GRACEFUL) {
            closing = true;
            if (!busy && !tlsPending && session.transaction == null && !session.inData && !auth.inProgress()) {
                closeWith(SHUTTING_DOWN);
            }
        } else if (evt == ShutdownEvent.NOW) {
            closing = true;
            closeWith(SHUTTING_DOWN);
        }
        ctx.fireUserEventTriggered(evt);
    }

    // ------------------------------------------------------------------ the rhythm

    /** Writes a reply to a command; protocol errors count towards {@link SmtpServerConfig#maxErrors()}. */
    void reply(SmtpReply r) {
        if (closed) {
            return;
        }
        if (r.permanentFailure() && ++session.errors >= config.maxErrors()) {
            ctx.write(r);
            closeWith(SmtpReply.of(421, "4.7.0", config.hostname() + " Too many errors, closing connection"));
            return;
        }
        ctx.writeAndFlush(r);
    }

    /** Writes the reply and asks for the next command. */
    void respond(SmtpReply r) {
        reply(r);
        proceed();
    }

    /** Ready for the next command: restart the idle clock and let the decoder deliver one. */
    void proceed() {
        if (closed || !ctx.channel().isActive()) {
            return;
        }
        if (closing && session.transaction == null && !session.inData && !auth.inProgress()) {
            closeWith(SHUTTING_DOWN);
            return;
        }
        timeouts.waitForClient(session.inData ? config.dataIdleTimeout() : config.idleTimeout());
        frames.requestCommand();
    }

    /**
     * Waits for {@code pending} without reading (backpressure), then runs {@code then} on the event
     * loop; a failed stage becomes {@code onFailure}. Nothing runs once the connection is gone.
     */
    void await(CompletionStage<SmtpReply> pending, SmtpReply onFailure, Consumer<SmtpReply> then) {
        busy = true;
        timeouts.working();
        pending.whenComplete((reply, error) -> {
            Runnable resume = () -> {
                busy = false;
                if (error != null) {
                    log.warn("client {}: internal failure", session.clientIp, error);
                }
                then.accept(error != null || reply == null ? onFailure : reply);
            };
            if (ctx.executor().inEventLoop()) {
                resume.run();
            } else {
                ctx.executor().execute(resume);
            }
        });
    }

    boolean isClosed() {
        return closed;
    }

    /** Says {@code r} (a 421) and closes; the open transaction, if any, is abandoned. */
    void closeWith(SmtpReply r) {
        if (closed) {
            return;
        }
        closed = true;
        frames.stop();
        session.abortTransaction();
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (session != null) {
            session.abortTransaction();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            log.debug("client {}: {}", session == null ? "?" : session.clientIp, cause.toString());
        } else {
            log.warn("client {}: closing after an internal error", session == null ? "?" : session.clientIp, cause);
        }
        closed = true;
        if (session != null) {
            session.abortTransaction();
        }
        ctx.close();
    }
}
