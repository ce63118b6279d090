package jp.mynaguard.proxy.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/** A tiny syslog server for tests: TCP or TLS, octet-counting frames (RFC 6587) into a queue. */
final class SyslogReceiver implements AutoCloseable {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SyslogReceiver(int port, SSLContext tls) throws IOException {
        this.server = tls == null ? new ServerSocket(port, 50, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "test-syslog-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next message (header and body), or {@code null} after the timeout. */
    String next(long seconds) throws InterruptedException {
        return messages.poll(seconds, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread t = new Thread(() -> read(s), "test-syslog-reader");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket s) {
        try (InputStream in = new BufferedInputStream(s.getInputStream())) {
            while (true) {
                int len = 0;
                int c;
                while ((c = in.read()) != ' ') {
                    if (c < 0) {
                        return;
                    }
                    if (c < '0' || c > '9') {
                        throw new IOException("bad frame length");
                    }
                    len = len * 10 + (c - '0');
                }
                byte[] msg = in.readNBytes(len);
                if (msg.length < len) {
                    return;
                }
                messages.add(new String(msg, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // Connection closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
