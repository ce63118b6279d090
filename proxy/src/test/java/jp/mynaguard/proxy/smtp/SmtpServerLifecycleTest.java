package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Connection limits and the graceful stop, over real sockets. */
class SmtpServerLifecycleTest {
    /** A line-at-a-time client for these tests. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return c < 0 && sb.length() == 0 ? null : sb.toString();
        }

        String lastLine() throws IOException {
            String l;
            do {
                l = line();
            } while (l != null && l.length() > 3 && l.charAt(3) == '-');
            return l;
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void connectionsOverThePerAddressCapAreToldWhyAndClosed() throws Exception {
        try (TestGateway gw = new TestGateway(b -> b.maxConnectionsPerAddress(2))) {
            List<Client> open = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Client c = new Client(gw.port());
                    open.add(c);
                    assertTrue(c.line().startsWith("220 "));
                }
                try (Client third = new Client(gw.port())) {
                    assertEquals("421 4.7.0 mynaguard.test Too many connections from your address, try again later", third.line());
                    assertEquals(null, third.line());
                }
                open.remove(0).close();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (gw.server.openConnections() > 1 && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                try (Client again = new Client(gw.port())) {
                    assertTrue(again.line().startsWith("220 "), "a freed slot is usable again");
                }
            } finally {
                for (Client c : open) {
                    c.close();
                }
            }
        }
    }

    @Test
    void commandsOverTheRateAreSlowedDownNotRefused() throws Exception {
        try (TestGateway gw = new TestGateway(b -> b.commandRate(4, 2)); Client c = new Client(gw.port())) {
            c.line();
            long start = System.nanoTime();
            c.send("NOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n");
            for (int i = 0; i < 4; i++) {
                assertEquals("250 2.0.0 OK", c.line());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 400, "two commands over the burst at 4/s take about half a second, took " + millis);
        }
    }

    @Test
    void gracefulStopFinishesOpenTransactionsAndRefusesNewConnections() throws Exception {
        TestGateway gw = new TestGateway(b -> { });
        int port = gw.port();
        try (Client idle = new Client(port); Client busy = new Client(port)) {
            idle.line();
            idle.send("EHLO idle.test\r\n");
            idle.lastLine();
            busy.line();
            busy.send("EHLO busy.test\r\nMAIL FROM:<tanaka@example.co.jp>\r\nRCPT TO:<a@partner.example.test>\r\nDATA\r\n");
            busy.lastLine();
            assertTrue(busy.line().startsWith("250"));
            assertTrue(busy.line().startsWith("250"));
            assertTrue(busy.line().startsWith("354"));
            busy.send("Subject: half way\r\n\r\nfirst part\r\n");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> gw.server.stop(Duration.ofSeconds(10)));
            assertEquals("421 4.3.2 Service shutting down, try again later", idle.line(), "idle session told at once");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean refused = false;
            while (!refused && System.nanoTime() < until) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    Thread.sleep(20);
                } catch (ConnectException e) {
                    refused = true;
                }
            }
            assertTrue(refused, "new connections are refused while stopping");

            busy.send("second part\r\n.\r\n");
            assertTrue(busy.line().startsWith("250 2.0.0"), "the open transaction is finished");
            assertEquals("421 4.3.2 Service shutting down, try again later", busy.line());
            stopping.get(10, TimeUnit.SECONDS);
            assertEquals(1, gw.upstream.messages().size());
            assertTrue(gw.upstream.messages().get(0).text().contains("first part\r\nsecond part\r\n"));
        } finally {
            gw.close();
        }
    }

    @Test
    void afterTheGracePeriodEverySessionIsAnswered421() throws Exception {
        TestGateway gw = new TestGateway(b -> { });
        try (Client slow = new Client(gw.port())) {
            slow.line();
            slow.send("EHLO slow.test\r\nMAIL FROM:<tanaka@example.co.jp>\r\n");
            slow.lastLine();
            assertTrue(slow.line().startsWith("250"));
            long start = System.nanoTime();
            gw.server.stop(Duration.ofMillis(300));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertEquals("421 4.3.2 Service shutting down, try again later", slow.line());
            assertEquals(null, slow.line());
            assertEquals(1, gw.upstream.aborted.get(), "the upstream transaction was abandoned");
        } finally {
            gw.close();
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", gw.port()).close());
    }
}
