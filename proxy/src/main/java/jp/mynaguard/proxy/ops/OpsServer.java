package jp.mynaguard.proxy.ops;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal HTTP/1.1 listener that serves only {@link OpsHttpHandler}'s paths (404 for the rest),
 * for as long as the gateway has no console server to mount the handler in. Pipeline:
 * <pre>
 *   connections  GatewayMetrics.connectionCounter(CONSOLE)
 *   idle         IdleStateHandler -> close after OpsLimits.IDLE_TIMEOUT
 *   http         HttpServerCodec
 *   aggregator   HttpObjectAggregator(OpsLimits.MAX_REQUEST_BYTES)
 *   ops          OpsHttpHandler
 *   notFound     404 for every other path
 * </pre>
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final EventLoopGroup group;
    private final Channel listener;

    private OpsServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /** Binds {@code address}; throws when it cannot (e.g. the port is in use). */
    public static OpsServer start(InetSocketAddress address, OpsHttpHandler ops, ChannelHandler connections)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mynaguard-ops", true),
                NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline()
                                    .addLast("connections", connections)
                                    .addLast("idle", new IdleStateHandler(0, 0,
                                            OpsLimits.IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS) {
                                        @Override
                                        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent e) {
                                            ctx.close();
                                        }
                                    })
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("aggregator", new HttpObjectAggregator(OpsLimits.MAX_REQUEST_BYTES))
                                    .addLast("ops", ops)
                                    .addLast("notFound", NotFound.INSTANCE);
                        }
                    })
                    .bind(address).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
            String host = bound.getAddress().getHostAddress();
            log.info("/metrics, /healthz and /readyz on http://{}:{}", host.contains(":") ? "[" + host + "]" : host,
                    bound.getPort());
            return new OpsServer(group, ch);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The end of the pipeline: anything the ops handler passed on. */
    @ChannelHandler.Sharable
    static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {
        static final NotFound INSTANCE = new NotFound();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpResponse r = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NOT_FOUND,
                    Unpooled.copiedBuffer("not found: this listener serves /metrics, /healthz and /readyz\n",
                            StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, OpsHttpHandler.TEXT);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
