package jp.mynaguard.proxy.console;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import jp.mynaguard.proxy.io.ConnectionCaps;
import jp.mynaguard.proxy.ops.GatewayMetrics;

/**
 * The console's connection caps: a connection over a cap is closed at once (before TLS and before
 * any request is read), so a flood cannot hold the event loops or the workers the approvers need.
 * It counts nothing itself: the gateway mounts {@link GatewayMetrics#connectionCounter} for the
 * console's connections.
 */
@ChannelHandler.Sharable
final class ConsoleConnectionLimiter extends ConnectionCaps {
    ConsoleConnectionLimiter(int maxTotal, int maxPerAddress) {
        super(maxTotal, maxPerAddress, GatewayMetrics.Listener.CONSOLE);
    }

    /** No answer: the console may speak TLS, which has not begun, so any bytes would be garbage to a browser. */
    @Override
    protected ByteBuf refusal(ChannelHandlerContext ctx, boolean fromOneAddress) {
        return null;
    }
}
