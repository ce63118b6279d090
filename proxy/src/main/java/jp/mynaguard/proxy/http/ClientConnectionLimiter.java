package jp.mynaguard.proxy.http;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import jp.mynaguard.proxy.io.ConnectionCaps;
import jp.mynaguard.proxy.ops.GatewayMetrics;

/**
 * The HTTP proxy's connection caps: a connection over a cap gets a 503 (written as bytes: it is
 * refused before any HTTP handler sees it) and is closed.
 */
@ChannelHandler.Sharable
final class ClientConnectionLimiter extends ConnectionCaps {
    private static final byte[] BUSY;

    static {
        byte[] body = "接続数が上限に達しています / Too many connections\n".getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                + "Retry-After: 5\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        BUSY = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, BUSY, h.length, body.length);
    }

    ClientConnectionLimiter(int maxTotal, int maxPerAddress, GatewayMetrics metrics) {
        super(maxTotal, maxPerAddress, metrics, GatewayMetrics.Listener.HTTP);
    }

    @Override
    protected ByteBuf refusal(ChannelHandlerContext ctx, boolean fromOneAddress) {
        return Unpooled.wrappedBuffer(BUSY);
    }
}
