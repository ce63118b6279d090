package jp.mynaguard.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Absolute deadlines against slow clients, checked once a second from what the decoder is doing:
 * a request head must be complete within {@link HttpProxyConfig#headDeadline()} of its first
 * byte; a body must keep an average of {@link HttpProxyConfig#minBodyBytesPerSecond()} over each
 * {@link HttpProxyConfig#bodyRateWindow()}; a kept-alive connection with no request is closed
 * after {@link HttpProxyConfig#idleTimeout()}. An inactivity timer alone (Netty's
 * IdleStateHandler) is defeated by one byte every few seconds. While the proxy itself is busy
 * (deciding, forwarding, streaming the response) the client's clock does not run.
 */
final class ConnectionDeadlines extends ChannelInboundHandlerAdapter {
    private static final long TICK_MILLIS = 1000;
    private static final byte[] TIMEOUT = raw408("リクエストの送信が遅すぎます / Request too slow\n");

    private final HttpProxyConfig config;
    private final StrictRequestDecoder decoder;
    private ScheduledFuture<?> ticker;
    private StrictRequestDecoder.Phase lastPhase;
    private long phaseSince;
    private long windowStart;
    private long windowBytes;

    ConnectionDeadlines(HttpProxyConfig config, StrictRequestDecoder decoder) {
        this.config = config;
        this.decoder = decoder;
    }

    /** Written below the HTTP encoder (this handler sits before it), so as bytes. */
    private static byte[] raw408(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (ticker == null) {
            lastPhase = decoder.phase();
            phaseSince = System.nanoTime();
            ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** One check; package-private so that tests can drive it without waiting. */
    void tick(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        StrictRequestDecoder.Phase phase = decoder.phase();
        if (phase != lastPhase) {
            lastPhase = phase;
            phaseSince = now;
            windowStart = now;
            windowBytes = decoder.bodyBytes();
        }
        long inPhase = now - phaseSince;
        switch (phase) {
            case IDLE -> {
                if (inPhase > config.idleTimeout().toNanos()) {
                    ctx.close();
                }
            }
            case HEAD -> {
                if (inPhase > config.headDeadline().toNanos()) {
                    timeout(ctx, "request head not complete in time");
                }
            }
            case BODY -> {
                long window = config.bodyRateWindow().toNanos();
                if (now - windowStart >= window) {
                    long received = decoder.bodyBytes() - windowBytes;
                    long needed = config.minBodyBytesPerSecond() * config.bodyRateWindow().toSeconds();
                    if (received < needed) {
                        timeout(ctx, "request body slower than the minimum rate");
                        return;
                    }
                    windowStart = now;
                    windowBytes = decoder.bodyBytes();
                }
            }
            default -> {
                // PAUSED: we are busy, not the client. BROKEN: the connection is being closed.
            }
        }
    }

    private void timeout(ChannelHandlerContext ctx, String why) {
        org.slf4j.LoggerFactory.getLogger(ConnectionDeadlines.class).info("client {}: {}, closing",
                ctx.channel().remoteAddress(), why);
        cancel();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
