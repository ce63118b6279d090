package jp.mynaguard.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Bytes one way, after an allowed WebSocket upgrade: whatever arrives is written to the peer,
 * uninspected (the host is on {@code websocket_hosts} because the admin accepted that). Reading
 * pauses while the peer cannot take more; either side closing closes the other.
 */
final class RawRelay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    private RawRelay(Channel peer) {
        this.peer = peer;
    }

    /** Turns the client and origin pipelines into a byte relay; bytes already buffered flow on. */
    static void switchToRelay(Channel client, Channel origin) {
        ChannelPipeline o = origin.pipeline();
        for (String name : new String[] {"relay", "chunks", "timeout"}) {
            if (o.get(name) != null) {
                o.remove(name);
            }
        }
        o.addLast("raw", new RawRelay(client));
        o.remove("codec");
        ChannelPipeline c = client.pipeline();
        c.addLast("raw", new RawRelay(origin));
        ProxyChannelInitializer.removeHttpHandlers(c);
        client.config().setAutoRead(true);
        origin.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof io.netty.buffer.ByteBuf)) {
            // The HTTP codec's end-of-response marker for the 101, decoded before the switch.
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        peer.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained: the peer may read again.
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        peer.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
