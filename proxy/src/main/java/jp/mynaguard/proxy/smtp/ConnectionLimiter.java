package jp.mynaguard.proxy.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import jp.mynaguard.proxy.ops.GatewayMetrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps concurrent connections overall and per client address (James's
 * {@code ConnectionPerIpLimitUpstreamHandler}). A connection over a cap is told why with a 421
 * instead of the greeting and closed; it never reaches the session.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final String hostname;
    private final GatewayMetrics metrics;

    ConnectionLimiter(int maxTotal, int maxPerAddress, String hostname, GatewayMetrics metrics) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.hostname = hostname;
        this.metrics = metrics;
    }

    int open() {
        return total.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int all = total.incrementAndGet();
        int mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        metrics.connectionAccepted(GatewayMetrics.Listener.SMTP);
        String refusal = all > maxTotal ? "Too many connections, try again later"
                : mine > maxPerAddress ? "Too many connections from your address, try again later" : null;
        if (refusal != null) {
            metrics.connectionRefused(GatewayMetrics.Listener.SMTP);
            log.warn("refusing {}: {} ({} open, {} from this address)", address.getHostAddress(), refusal, all, mine);
            ctx.writeAndFlush(Unpooled.copiedBuffer("421 4.7.0 " + hostname + " " + refusal + "\r\n",
                    StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            total.decrementAndGet();
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        ctx.fireChannelInactive();
    }
}
