package jp.mynaguard.proxy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import org.junit.jupiter.api.Test;

class NettyTransportTest {
    /** The jar carries the epoll library for Linux on x86-64 and ARM64: there it must load. */
    @Test
    void linuxRunsOnNativeEpoll() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64"))
                && !Boolean.getBoolean("io.netty.transport.noNative")) {
            assertTrue(NettyTransport.nativeEpoll(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        }
    }

    @Test
    void channelsMatchTheEventLoops() {
        boolean epoll = NettyTransport.nativeEpoll();
        assertEquals(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class, NettyTransport.serverChannel());
        assertEquals(epoll ? EpollSocketChannel.class : NioSocketChannel.class, NettyTransport.socketChannel());
        assertEquals(epoll ? "epoll" : "nio", NettyTransport.name());
    }
}
