package jp.mynaguard.proxy.hold;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real SMTP server on a loopback port for the release tests: ESMTP with PIPELINING, replies
 * chosen per recipient by the test (250, 451, 550...), and the accepted messages recorded with
 * their envelope and exact bytes (dot-unstuffed). A message counts as delivered only once the
 * sink has sent its 250 to the end of data, as with any MTA.
 */
final class SmtpSink implements AutoCloseable {
    record Message(String mailFrom, List<String> recipients, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    final List<Message> messages = Collections.synchronizedList(new ArrayList<>());
    /** The reply to RCPT TO for an address (without brackets); 250 by default. */
    volatile Function<String, String> rcptReply = r -> "250 2.1.5 Ok";
    /** The reply to the end of data; 250 by default. */
    volatile String dataReply = "250 2.0.0 Ok: queued";
    /** When set, the reply to DATA waits until it is counted down (a sink that stalls mid-transaction). */
    volatile CountDownLatch stallBeforeData;
    /** Counted down when a DATA command arrives. */
    final CountDownLatch dataSeen = new CountDownLatch(1);

    SmtpSink() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Message> snapshot() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "smtp-sink-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            reply(out, "220 sink.test ESMTP");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                String upper = line.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    reply(out, "250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING");
                } else if (upper.startsWith("HELO") || upper.startsWith("NOOP")) {
                    reply(out, "250 Ok");
                } else if (upper.startsWith("MAIL FROM:")) {
                    from = address(line.substring(10));
                    rcpts.clear();
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String r = address(line.substring(8));
                    String answer = rcptReply.apply(r);
                    if (answer.startsWith("2")) {
                        rcpts.add(r);
                    }
                    reply(out, answer);
                } else if (upper.equals("DATA")) {
                    dataSeen.countDown();
                    CountDownLatch stall = stallBeforeData;
                    if (stall != null && !stall.await(60, TimeUnit.SECONDS)) {
                        return;
                    }
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    byte[] data = readData(in);
                    if (data == null) {
                        return;
                    }
                    String answer = dataReply;
                    reply(out, answer);
                    if (answer.startsWith("2")) {
                        messages.add(new Message(from, List.copyOf(rcpts), data));
                    }
                    rcpts.clear();
                } else if (upper.equals("RSET")) {
                    rcpts.clear();
                    reply(out, "250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else {
                    reply(out, "502 5.5.2 Not implemented");
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away (or was killed): nothing was accepted in this transaction.
        } finally {
            open.remove(s);
        }
    }

    private static String address(String arg) {
        String a = arg.trim();
        int lt = a.indexOf('<');
        int gt = a.indexOf('>');
        return lt >= 0 && gt > lt ? a.substring(lt + 1, gt) : a.split(" ")[0];
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    /** Reads until CRLF.CRLF, undoing dot-stuffing; {@code null} when the client disconnected first. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                line.write(c);
                if (c == '\n') {
                    break;
                }
            }
            if (c < 0) {
                return null;
            }
            byte[] l = line.toByteArray();
            if (l.length == 3 && l[0] == '.' && l[1] == '\r') {
                return data.toByteArray();
            }
            int skip = l.length > 0 && l[0] == '.' ? 1 : 0;
            data.write(l, skip, l.length - skip);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
