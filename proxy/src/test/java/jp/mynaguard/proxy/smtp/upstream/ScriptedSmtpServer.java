package jp.mynaguard.proxy.smtp.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small blocking SMTP server for tests: answers like a plain smarthost, with every reply
 * overridable per command line, and records what it received (command lines, the DATA wire
 * bytes, the un-stuffed messages, and every byte for CRLF checks). One thread per connection.
 */
final class ScriptedSmtpServer implements AutoCloseable {
    /** Returned by {@link #replies} to send nothing at all (for timeout tests). */
    static final String SILENCE = "(silence)";

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-smtp");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    volatile String greeting = "220 test.example ESMTP";
    volatile List<String> ehloKeywords = List.of("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "SIZE 10485760");
    volatile SSLContext tls;
    /** Bytes written right after the 220 to STARTTLS, in the same write (a response injection). */
    volatile String injectAfterStartTls;
    volatile boolean acceptAuth = true;
    /** Custom reply for a command line; null = the default reply. */
    volatile Function<String, String> replies = line -> null;

    final AtomicInteger connections = new AtomicInteger();
    final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    final List<byte[]> dataWire = Collections.synchronizedList(new ArrayList<>());
    final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    ScriptedSmtpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every byte received on all connections (after TLS: decrypted). */
    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    long count(String verb) {
        return commands.stream().filter(c -> c.toUpperCase(Locale.ROOT).startsWith(verb)).count();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                connections.incrementAndGet();
                threads.execute(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        try (Socket s = socket) {
            // Buffered: our client sends nothing after STARTTLS until the 220, so nothing is read ahead of TLS.
            Io io = new Io(new java.io.BufferedInputStream(s.getInputStream()), s.getOutputStream());
            if (!greeting.equals(SILENCE)) {
                io.send(greeting);
            }
            String line;
            while ((line = io.readLine()) != null) {
                commands.add(line);
                String custom = replies.apply(line);
                if (SILENCE.equals(custom)) {
                    continue;
                }
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                if (custom != null) {
                    io.send(custom);
                    if (custom.startsWith("354")) {
                        readData(io);
                    }
                    if (custom.startsWith("421")) {
                        return;
                    }
                    continue;
                }
                switch (verb) {
                    case "EHLO" -> {
                        StringBuilder sb = new StringBuilder("250-test.example");
                        for (String k : ehloKeywords) {
                            sb.append("\r\n250-").append(k);
                        }
                        int last = sb.lastIndexOf("250-");
                        sb.setCharAt(last + 3, ' ');
                        io.send(sb.toString());
                    }
                    case "HELO", "RSET", "NOOP" -> io.send("250 2.0.0 Ok");
                    case "MAIL" -> io.send("250 2.1.0 Ok");
                    case "RCPT" -> io.send("250 2.1.5 Ok");
                    case "DATA" -> {
                        io.send("354 End data with <CR><LF>.<CR><LF>");
                        readData(io);
                    }
                    case "STARTTLS" -> {
                        if (tls == null) {
                            io.send("502 5.5.1 not implemented");
                            continue;
                        }
                        String inject = injectAfterStartTls;
                        io.sendRaw("220 2.0.0 Ready to start TLS\r\n" + (inject == null ? "" : inject));
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), false);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        io = new Io(new java.io.BufferedInputStream(ssl.getInputStream()), ssl.getOutputStream());
                    }
                    case "AUTH" -> auth(io, line);
                    case "QUIT" -> {
                        io.send("221 2.0.0 Bye");
                        return;
                    }
                    default -> io.send("502 5.5.2 unknown command");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void auth(Io io, String line) throws IOException {
        String[] parts = line.split(" ");
        if (parts.length >= 2 && parts[1].equalsIgnoreCase("LOGIN")) {
            io.send("334 VXNlcm5hbWU6");
            commands.add(io.readLine());
            io.send("334 UGFzc3dvcmQ6");
            commands.add(io.readLine());
        }
        io.send(acceptAuth ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
    }

    private void readData(Io io) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        String line;
        while (!".".equals(line = io.readLine())) {
            if (line == null) {
                return; // the client went away before the final dot: no message, as in any MTA
            }
            byte[] raw = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
            wire.writeBytes(raw);
            String unstuffed = line.startsWith(".") ? line.substring(1) : line;
            message.writeBytes((unstuffed + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        dataWire.add(wire.toByteArray());
        messages.add(message.toByteArray());
        String custom = replies.apply(".");
        if (SILENCE.equals(custom)) {
            return;
        }
        io.send(custom != null ? custom : "250 2.0.0 Ok: queued");
    }

    /** Closes every client connection without a word (the listening socket stays open). */
    void dropConnections() throws IOException {
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
            sockets.clear();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
        threads.shutdownNow();
    }

    /** Line I/O that keeps every received byte and splits lines on LF (CR checks are done on the bytes). */
    private final class Io {
        private final InputStream in;
        private final OutputStream out;

        Io(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    byte[] l = line.toByteArray();
                    synchronized (received) {
                        received.writeBytes(l);
                    }
                    int len = l.length > 1 && l[l.length - 2] == '\r' ? l.length - 2 : l.length - 1;
                    return new String(l, 0, len, StandardCharsets.UTF_8);
                }
            }
            synchronized (received) {
                received.writeBytes(line.toByteArray());
            }
            return null;
        }

        void send(String reply) throws IOException {
            sendRaw(reply + "\r\n");
        }

        void sendRaw(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
