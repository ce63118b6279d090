package jp.mynaguard.proxy.http;

import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * A minimal forward proxy for tunnel tests, playing the request router's part of the contract:
 * on CONNECT it calls {@link ConnectTunnels#open} and removes its HTTP codec before returning;
 * anything else gets 405. The real router (request hygiene, authentication, absolute-form
 * requests) is the HTTP proxy's; this only exercises the seam the same way.
 */
final class TestTunnelProxy implements AutoCloseable {
    static final ProxyUser USER = new ProxyUser("tanaka", "tanaka@example.co.jp");

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;

    TestTunnelProxy(ConnectTunnels tunnels) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("router", new ConnectRouter(tunnels));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The router's CONNECT branch, as the seam's contract asks of it. */
    static final class ConnectRouter extends ChannelInboundHandlerAdapter {
        private final ConnectTunnels tunnels;

        ConnectRouter(ConnectTunnels tunnels) {
            this.tunnels = tunnels;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) {
                    if (HttpMethod.CONNECT.equals(req.method())) {
                        tunnels.open(ctx, req, USER);
                        ctx.pipeline().remove("http");
                    } else {
                        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED,
                                Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
