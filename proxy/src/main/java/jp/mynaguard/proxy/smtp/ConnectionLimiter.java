package jp.mynaguard.proxy.smtp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import jp.mynaguard.proxy.io.ConnectionCaps;
import jp.mynaguard.proxy.ops.GatewayMetrics;

/** The SMTP server's connection caps: a connection over a cap gets a 421 instead of the greeting. */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ConnectionCaps {
    private final String hostname;

    ConnectionLimiter(int maxTotal, int maxPerAddress, String hostname, GatewayMetrics metrics) {
        super(maxTotal, maxPerAddress, metrics, GatewayMetrics.Listener.SMTP);
        this.hostname = hostname;
    }

    @Override
    protected ByteBuf refusal(ChannelHandlerContext ctx, boolean fromOneAddress) {
        String why = fromOneAddress ? "Too many connections from your address, try again later"
                : "Too many connections, try again later";
        return Unpooled.copiedBuffer("421 4.7.0 " + hostname + " " + why + "\r\n", StandardCharsets.US_ASCII);
    }
}
