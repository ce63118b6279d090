package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener over real sockets: connection caps, the idle timeout, and a handler mounted in front (e.g. /healthz). */
class ConsoleListenerTest {
    @TempDir
    Path dir;

    /** What ops' health handler will look like: answers its path, passes everything else on. */
    static final class Healthz extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest r && r.uri().equals("/healthz")) {
                r.release();
                DefaultFullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
                resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, 3);
                ctx.writeAndFlush(resp);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Test
    void aMountedHandlerAnswersItsPathBeforeTheConsoleWithTheSameHeaders() throws Exception {
        TestConsole.StartHook hook = b -> b.mount("healthz", Healthz::new);
        try (TestConsole console = new TestConsole(dir, c -> { }, hook)) {
            HttpSession s = new HttpSession(console.url());
            HttpResponse<String> h = s.get("/healthz");
            assertEquals(200, h.statusCode());
            assertEquals("ok\n", h.body());
            assertEquals("DENY", h.headers().firstValue("X-Frame-Options").orElseThrow());
            assertEquals(200, s.get("/login").statusCode(), "everything else still reaches the console");
            assertEquals(303, s.get("/my").statusCode(), "and its authentication");
        }
    }

    @Test
    void connectionsOverThePerAddressCapAreClosedAtOnce() throws Exception {
        try (TestConsole console = new TestConsole(dir, c -> c.connections(100, 2));
             Socket a = connect(console); Socket b = connect(console); Socket c = connect(console)) {
            assertEquals(-1, c.getInputStream().read(), "the third connection from 127.0.0.1 is closed");
            assertTrue(request(a).startsWith("HTTP/1.1 200"), "the first two work");
            assertTrue(request(b).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (TestConsole console = new TestConsole(dir, c -> c.timeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));
             Socket s = connect(console)) {
            assertTrue(request(s).startsWith("HTTP/1.1 200"));
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "closed by the server after the idle time, not by our read timeout");
        }
    }

    private static Socket connect(TestConsole console) throws Exception {
        Socket s = new Socket("127.0.0.1", console.server.localAddress().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** One keep-alive GET /login; returns the status line and headers. */
    private static String request(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write("GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        String h = head.toString();
        int at = h.toLowerCase().indexOf("content-length: ");
        int length = Integer.parseInt(h.substring(at + 16, h.indexOf('\r', at)).trim());
        in.readNBytes(length);
        return h;
    }
}
