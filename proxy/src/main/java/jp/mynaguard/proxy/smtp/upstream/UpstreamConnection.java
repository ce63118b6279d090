package jp.mynaguard.proxy.smtp.upstream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.ScheduledFuture;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.SmtpReply;

/**
 * One SMTP client connection to the smarthost: sends commands and content, and pairs each reply
 * with what it answers, in order. Thread-safe to call; all state lives on the channel's event
 * loop. When anything goes wrong (timeout, lost connection, protocol or TLS error) every
 * outstanding future fails with an {@link UpstreamException} and the connection is closed:
 * half-known SMTP state is never reused.
 *
 * <p>Without PIPELINING each command waits for the previous reply; with it, queued commands go
 * out at once (RFC 2920), which is how pipelined RCPTs from the client stay cheap.
 */
final class UpstreamConnection {
    private final Channel channel;
    private final SmtpReplyDecoder decoder = new SmtpReplyDecoder();
    private final Duration commandTimeout;
    private final Duration dataTimeout;
    private final long createdNanos = System.nanoTime();
    /** Event loop only. */
    private final Deque<Pending> pending = new ArrayDeque<>();
    private volatile boolean broken;
    private volatile boolean pipelining;
    private volatile boolean tlsActive;
    private volatile EhloCapabilities capabilities = EhloCapabilities.NONE;
    private final Pending greetingPending;
    private final CompletableFuture<SmtpReply> greeting;

    /** What we wait for: a command's reply, the greeting, or the reply after content. */
    private static final class Pending {
        final String what;
        final ClientCommand command;
        final InputSource content;
        final SslHandler tlsUpgrade;
        final Duration timeout;
        final CompletableFuture<SmtpReply> future = new CompletableFuture<>();
        boolean written;
        ScheduledFuture<?> timer;

        Pending(String what, ClientCommand command, InputSource content, SslHandler tlsUpgrade, Duration timeout) {
            this.what = what;
            this.command = command;
            this.content = content;
            this.tlsUpgrade = tlsUpgrade;
            this.timeout = timeout;
        }
    }

    /** Builds the pipeline; called from the channel initializer, before any byte is read. */
    UpstreamConnection(Channel channel, UpstreamConfig config) {
        this.channel = channel;
        this.commandTimeout = config.commandTimeout();
        this.dataTimeout = config.dataTimeout();
        channel.pipeline()
                // Head side: sees every write, so a smarthost that stops reading mid-DATA is noticed.
                .addLast("writeTimeout", new WriteTimeoutHandler(commandTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("replyDecoder", decoder)
                .addLast("commandEncoder", ClientCommandEncoder.INSTANCE)
                .addLast("dotStuffing", new DotStuffingEncoder())
                .addLast("chunkedWriter", new ChunkedWriteHandler())
                .addLast("replies", new Replies());
        // The greeting is a reply to the connection itself: expect it before anything can arrive.
        greetingPending = new Pending("the greeting", null, null, null, commandTimeout);
        greetingPending.written = true;
        pending.add(greetingPending);
        greeting = greetingPending.future;
    }

    CompletableFuture<SmtpReply> greeting() {
        return greeting;
    }

    CompletableFuture<SmtpReply> command(ClientCommand command) {
        return enqueue(new Pending(command.verb(), command, null, null, commandTimeout));
    }

    /** Writes the message (dot-stuffed, final dot added) after a 354; completes with the end-of-data reply. */
    CompletableFuture<SmtpReply> content(InputSource content) {
        return enqueue(new Pending("the end of data", null, content, null, dataTimeout));
    }

    /**
     * STARTTLS, then the handshake with {@code tls}. Completes with the STARTTLS reply when it is
     * not 220 (no handshake then); fails with a TLS error when the handshake fails.
     */
    CompletableFuture<SmtpReply> startTls(SslHandler tls) {
        tls.setHandshakeTimeoutMillis(commandTimeout.toMillis());
        return enqueue(new Pending("STARTTLS", ClientCommand.STARTTLS, null, tls, commandTimeout))
                .thenCompose(reply -> {
                    if (reply.code() != 220) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    CompletableFuture<SmtpReply> done = new CompletableFuture<>();
                    tls.handshakeFuture().addListener(f -> {
                        if (f.isSuccess()) {
                            tlsActive = true;
                            done.complete(reply);
                        } else {
                            UpstreamException e = UpstreamException.tls("TLS handshake with the smarthost failed", f.cause());
                            fail(e);
                            done.completeExceptionally(e);
                        }
                    });
                    return done;
                });
    }

    void pipelining(boolean on) {
        pipelining = on;
    }

    void capabilities(EhloCapabilities caps) {
        capabilities = caps;
        pipelining = caps.pipelining();
    }

    EhloCapabilities capabilities() {
        return capabilities;
    }

    boolean tlsActive() {
        return tlsActive;
    }

    boolean usable() {
        return !broken && channel.isActive();
    }

    Duration age() {
        return Duration.ofNanos(System.nanoTime() - createdNanos);
    }

    Channel channel() {
        return channel;
    }

    /** Polite end: QUIT, then close on its reply (or when the reply does not come soon). */
    void quit() {
        if (!usable()) {
            close();
            return;
        }
        command(ClientCommand.QUIT).orTimeout(2, TimeUnit.SECONDS).whenComplete((r, t) -> close());
    }

    void close() {
        broken = true;
        channel.close();
    }

    private CompletableFuture<SmtpReply> enqueue(Pending p) {
        if (broken) {
            p.future.completeExceptionally(UpstreamException.connectionLost());
            return p.future;
        }
        channel.eventLoop().execute(() -> {
            if (broken || !channel.isActive()) {
                p.future.completeExceptionally(UpstreamException.connectionLost());
                return;
            }
            pending.add(p);
            writeQueued();
        });
        return p.future;
    }

    /** Writes queued requests: one at a time, or all at once when the smarthost pipelines. */
    private void writeQueued() {
        boolean outstanding = false;
        for (Pending p : pending) {
            if (p.written) {
                outstanding = true;
                continue;
            }
            if (outstanding && !pipelining) {
                return;
            }
            write(p);
            outstanding = true;
        }
    }

    private void write(Pending p) {
        p.written = true;
        if (p.content == null) {
            channel.writeAndFlush(p.command).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(writeFailure(f.cause()));
                }
            });
            startTimer(p);
            return;
        }
        // The end-of-data timer starts once the last byte is out; the write timeout covers the transfer.
        channel.writeAndFlush(new ContentInput(p.content)).addListener(f -> {
            if (f.isSuccess()) {
                startTimer(p);
            } else {
                // Never end DATA with a dot after a failed read: that would deliver a truncated message.
                fail(f.cause() instanceof IOException && channel.isActive()
                        ? UpstreamException.localRead(f.cause()) : writeFailure(f.cause()));
            }
        });
    }

    private void startTimer(Pending p) {
        p.timer = channel.eventLoop().schedule(() -> {
            if (pending.contains(p)) {
                fail(UpstreamException.timeout(p.what));
            }
        }, p.timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onReply(SmtpReply reply) {
        Pending p = pending.peekFirst();
        if (p == null || !p.written) {
            fail(UpstreamException.protocol("reply from the smarthost that answers nothing we sent", null));
            return;
        }
        pending.removeFirst();
        cancelTimer(p);
        if (reply.code() == 421) {
            // The smarthost is closing this connection; nothing more may be sent on it.
            broken = true;
        }
        if (p.tlsUpgrade != null && reply.code() == 220) {
            if (decoder.bufferedBytes() > 0) {
                // Bytes sent before TLS that would be read as if after it: response injection.
                UpstreamException e = UpstreamException.protocol("data after the 220 reply to STARTTLS", null);
                p.future.completeExceptionally(e);
                fail(e);
                return;
            }
            channel.pipeline().addFirst("tls", p.tlsUpgrade);
        }
        p.future.complete(reply);
        writeQueued();
    }

    private void fail(UpstreamException e) {
        broken = true;
        Pending p;
        while ((p = pending.pollFirst()) != null) {
            cancelTimer(p);
            p.future.completeExceptionally(e);
        }
        channel.close();
    }

    private static void cancelTimer(Pending p) {
        if (p.timer != null) {
            p.timer.cancel(false);
        }
    }

    private static UpstreamException writeFailure(Throwable cause) {
        if (cause instanceof WriteTimeoutException) {
            return UpstreamException.timeout("a write (the smarthost stopped reading)");
        }
        return UpstreamException.connectionLost("write to the smarthost failed", cause);
    }

    private static UpstreamException failureFor(Throwable cause) {
        if (cause instanceof SSLException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            return UpstreamException.tls("TLS error with the smarthost", cause);
        }
        if (cause instanceof DecoderException) {
            return UpstreamException.protocol("malformed reply from the smarthost", cause);
        }
        if (cause instanceof WriteTimeoutException) {
            return writeFailure(cause);
        }
        return UpstreamException.connectionLost("connection to the smarthost failed", cause);
    }

    /** Last inbound handler: replies to their requests, and failures to everyone waiting. */
    private final class Replies extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // The greeting's clock starts when TCP is up; the connect has its own timeout.
            startTimer(greetingPending);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof SmtpReply reply) {
                onReply(reply);
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(UpstreamException.connectionLost());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(failureFor(cause));
        }
    }
}
