package jp.mynaguard.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One side of a relayed tunnel: what it reads goes to the peer channel, counted. When the peer
 * cannot take more (its outbound buffer is over the high-water mark) this side stops reading until
 * the peer drains, so a fast sender cannot fill the gateway's memory. When either side closes,
 * the other is flushed and closed; so are both when the tunnel has been idle too long.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final TunnelTraffic traffic;
    private final Channel peer;
    private final boolean fromClient;

    RelayHandler(TunnelTraffic traffic, Channel peer, boolean fromClient) {
        this.traffic = traffic;
        this.peer = peer;
        this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (fromClient) {
            traffic.sent(b.readableBytes());
        } else {
            traffic.received(b.readableBytes());
        }
        peer.writeAndFlush(b).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                traffic.failed(f.cause());
                ctx.channel().close();
            }
        });
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This channel drained: the peer, which may have paused for us, can read again.
        if (ctx.channel().isWritable() && peer.isActive()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        traffic.sideClosed();
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            traffic.failed(new java.util.concurrent.TimeoutException("idle"));
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        traffic.failed(cause);
        ctx.close();
    }
}
