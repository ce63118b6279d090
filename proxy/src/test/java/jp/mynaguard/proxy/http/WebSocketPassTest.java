package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import org.junit.jupiter.api.Test;

/**
 * WebSocket upgrades: refused unless the host is on websocket_hosts; when allowed, the 101 and
 * the frames both ways pass through uninspected (recorded in the audit trail as such). The origin
 * is a Netty WebSocket echo server.
 */
class WebSocketPassTest {
    private static final String HANDSHAKE = "GET http://localhost:%d/ws HTTP/1.1\r\nHost: localhost:%d\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";

    private static Channel echoServer(EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                        ctx.writeAndFlush(new TextWebSocketFrame("echo: " + f.text()));
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @Test
    void allowedHostsPassUninspectedOthersAreRefused() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ProxyHarness h = new ProxyHarness("corpus-policy.yaml", b -> b.websocketHost("localhost"))) {
            int port = ((java.net.InetSocketAddress) echoServer(group).localAddress()).getPort();
            try (Socket s = new Socket("127.0.0.1", h.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(String.format(HANDSHAKE, port, port).getBytes(StandardCharsets.US_ASCII));
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 101"), head);
                assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
                        head);
                out.write(maskedText("こんにちは"));
                out.flush();
                assertEquals("echo: こんにちは", readText(in));
            }
            assertTrue(h.audit.stream().anyMatch(e -> e.type().equals("websocket")
                    && Boolean.FALSE.equals(e.fields().get("inspected"))));

            try (RawHttp c = new RawHttp(h.port())) {
                RawHttp.Response r = c.send(String.format(HANDSHAKE, port, port).replace("localhost", "127.0.0.1")).read();
                assertEquals(403, r.status(), "127.0.0.1 is not on websocket_hosts");
                assertTrue(r.text().contains("WebSocket"));
            }
        } finally {
            group.shutdownGracefully().sync();
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** A client text frame (masked, as RFC 6455 requires of clients). */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] f = new byte[6 + payload.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            f[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return f;
    }

    private static String readText(InputStream in) throws Exception {
        int b0 = in.read();
        int len = in.read() & 0x7f;
        assertEquals(0x81, b0);
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }
}
