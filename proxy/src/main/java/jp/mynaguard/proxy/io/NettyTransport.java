package jp.mynaguard.proxy.io;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket transport for the gateway's event loops: Netty's native epoll on Linux, Java NIO
 * elsewhere (or when {@code -Dio.netty.transport.noNative=true} turns native transports off).
 * Epoll spends less CPU per connection and per read than the JDK selector (no selected-key sets,
 * eventfd wake-ups instead of a pipe), which counts when every relayed message is a new client
 * connection plus several reads and writes on both legs. Event loops and the channels on them
 * must come from the same transport, hence one place that picks both.
 */
public final class NettyTransport {
    private static final boolean EPOLL = Epoll.isAvailable();

    private NettyTransport() {
    }

    /** Whether the native epoll transport is in use. */
    public static boolean nativeEpoll() {
        return EPOLL;
    }

    public static IoHandlerFactory ioHandlerFactory() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** For the start-up log: which transport runs the sockets. */
    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }
}
