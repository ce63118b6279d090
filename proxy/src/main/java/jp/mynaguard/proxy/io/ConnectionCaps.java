package jp.mynaguard.proxy.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import jp.mynaguard.proxy.ops.GatewayMetrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps concurrent connections overall and per client address, first in a listener's pipeline (as
 * James's {@code ConnectionPerIpLimitUpstreamHandler}). A connection over a cap is told why in its
 * protocol's words ({@link #refusal}) and closed; it never reaches the protocol handlers. The SMTP
 * server, the HTTP proxy and the console differ only in that answer and in who counts their
 * connections.
 */
@ChannelHandler.Sharable
public abstract class ConnectionCaps extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionCaps.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf(ConnectionCaps.class, "counted");

    private final int maxTotal;
    private final int maxPerAddress;
    private final GatewayMetrics metrics;
    private final GatewayMetrics.Listener listener;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /** Caps that count accepted and refused connections in {@code metrics} under {@code listener}. */
    protected ConnectionCaps(int maxTotal, int maxPerAddress, GatewayMetrics metrics, GatewayMetrics.Listener listener) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.listener = listener;
    }

    /**
     * Caps that count nothing: for a listener whose connections are counted by a handler of its
     * own ({@link GatewayMetrics#connectionCounter}), which would otherwise count them twice.
     */
    protected ConnectionCaps(int maxTotal, int maxPerAddress, GatewayMetrics.Listener listener) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.metrics = null;
        this.listener = listener;
    }

    /**
     * The answer to a refused connection, written as bytes before any protocol handler runs;
     * {@code null} closes without a word (where the first bytes would be TLS, which has not begun).
     *
     * @param fromOneAddress whether the per-address cap (not the overall one) was hit
     */
    protected abstract ByteBuf refusal(ChannelHandlerContext ctx, boolean fromOneAddress);

    /** Connections open now. */
    public int open() {
        return total.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int all = total.incrementAndGet();
        int mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        if (metrics != null) {
            metrics.connectionAccepted(listener);
        }
        if (all > maxTotal || mine > maxPerAddress) {
            if (metrics != null) {
                metrics.connectionRefused(listener);
            }
            log.warn("{}: refusing {} ({} open, {} from this address)", listener, address.getHostAddress(), all, mine);
            ByteBuf answer = refusal(ctx, all <= maxTotal);
            if (answer == null) {
                ctx.close();
            } else {
                ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            }
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
