package jp.mynaguard.proxy.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal SMTP client for tests that need to send exact bytes: it dot-stuffs and sends the
 * message as it is (CRLF line ends expected), and returns every reply.
 */
final class RawSmtpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawSmtpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        expect(reply(), "220");
        command("EHLO client.test", "250");
    }

    /** Sends one message; returns the final reply (or the first failing one). */
    String send(String from, List<String> to, byte[] message) throws IOException {
        String r = command("MAIL FROM:<" + from + ">", null);
        if (!r.startsWith("250")) {
            return r;
        }
        for (String t : to) {
            r = command("RCPT TO:<" + t + ">", null);
            if (!r.startsWith("250")) {
                command("RSET", "250");
                return r;
            }
        }
        expect(command("DATA", null), "354");
        out.write(stuff(message));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    String command(String line, String expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String r = reply();
        if (expected != null) {
            expect(r, expected);
        }
        return r;
    }

    private static void expect(String reply, String code) {
        if (!reply.startsWith(code)) {
            throw new AssertionError("expected " + code + ", got " + reply);
        }
    }

    /** Dot-stuffs lines starting with '.'; ends the message with CRLF if it does not already. */
    static byte[] stuff(byte[] message) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte c : message) {
            if (lineStart && c == '.') {
                b.write('.');
            }
            b.write(c);
            lineStart = c == '\n';
        }
        if (!lineStart) {
            b.write('\r');
            b.write('\n');
        }
        return b.toByteArray();
    }

    /** The whole (possibly multi-line) reply, lines joined with '\n'. */
    String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    line.write(c);
                }
            }
            if (c < 0) {
                throw new IOException("connection closed; replies so far: " + lines);
            }
            String l = line.toString(StandardCharsets.US_ASCII);
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) != '-') {
                return String.join("\n", lines);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT", null);
        } catch (IOException e) {
            // already closed
        }
        socket.close();
    }
}
