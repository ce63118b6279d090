package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;

/**
 * A scripted SMTP dialogue, in the style of Apache James's MPT scripts, run against a real
 * {@link TestGateway} over a loopback socket.
 *
 * <pre>
 * # comment
 * &#64;config maxRecipients=2          server settings (see {@link #configure})
 * &#64;upstream rcpt a@b.test 550 5.1.1 No such user
 * &#64;expect delivered 1              checked after the dialogue (delivered, held, notices, contains, lacks)
 * C: MAIL FROM:&lt;a@b&gt;              a line; CRLF is added
 * R: a\nb\r\n                     raw bytes: \r \n \t \\ \xHH escapes, {N*c} repeats c N times
 * S: 250 .*                       the next reply line must match the regular expression
 * M: 250 .*                       a whole multi-line reply; its last line must match
 * CLOSED                          the server closes the connection
 * TLS                             TLS handshake on the connection (after the 220)
 * SLEEP 500                       wait, in milliseconds
 * </pre>
 * Consecutive C: and R: lines are sent in one write when the script next waits for the server,
 * which is how pipelining and "a command in the same packet" are written.
 */
final class SmtpScript {
    private final String name;
    private final List<String> directives = new ArrayList<>();
    private final List<String[]> steps = new ArrayList<>();

    private SmtpScript(String name) {
        this.name = name;
    }

    static SmtpScript load(Path file) throws IOException {
        SmtpScript s = new SmtpScript(file.getFileName().toString());
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("@")) {
                s.directives.add(line.substring(1).trim());
            } else if (line.startsWith("C: ") || line.startsWith("R: ") || line.startsWith("S: ") || line.startsWith("M: ")) {
                s.steps.add(new String[] {line.substring(0, 1), line.substring(3)});
            } else if (line.equals("C:") || line.equals("S:")) {
                s.steps.add(new String[] {line.substring(0, 1), ""});
            } else {
                String[] w = line.trim().split(" ", 2);
                s.steps.add(new String[] {w[0], w.length > 1 ? w[1] : ""});
            }
        }
        return s;
    }

    String name() {
        return name;
    }

    /** Applies the {@code @config} directives. */
    Consumer<SmtpServerConfig.Builder> configure() {
        return b -> {
            for (String d : directives) {
                if (!d.startsWith("config ")) {
                    continue;
                }
                String[] kv = d.substring(7).trim().split("=", 2);
                String v = kv.length > 1 ? kv[1] : "";
                switch (kv[0]) {
                    case "maxRecipients" -> b.maxRecipients(Integer.parseInt(v));
                    case "maxErrors" -> b.maxErrors(Integer.parseInt(v));
                    case "maxJunkCommands" -> b.maxJunkCommands(Integer.parseInt(v));
                    case "maxMessageSize" -> b.maxMessageSize(Long.parseLong(v));
                    case "maxAuthFailures" -> b.maxAuthFailures(Integer.parseInt(v));
                    case "bareLf" -> b.bareLf(BareLineEndPolicy.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
                    case "longLines" -> b.longLines(LongLinePolicy.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
                    case "senderCheck" -> b.senderCheck(SenderCheck.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
                    case "idleTimeout" -> b.idleTimeout(Duration.ofMillis(Long.parseLong(v)));
                    case "mailDeadline" -> b.mailDeadline(Duration.ofMillis(Long.parseLong(v)));
                    case "dataDeadline" -> b.dataDeadline(Duration.ofMillis(Long.parseLong(v)));
                    case "dataIdleTimeout" -> b.dataIdleTimeout(Duration.ofMillis(Long.parseLong(v)));
                    case "commandRate" -> b.commandRate(Integer.parseInt(v.split(",")[0]), Integer.parseInt(v.split(",")[1]));
                    case "relay" -> b.relayNetworks("none".equals(v) ? List.of() : List.of(Cidr.parse(v)));
                    case "clientUser" -> b.clientUser(Cidr.parse("127.0.0.1"), v);
                    case "tls" -> {
                        try {
                            b.tls(TestGateway.tls().server());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    default -> throw new IllegalArgumentException(name + ": unknown @config " + kv[0]);
                }
            }
        };
    }

    /** Applies the {@code @upstream} directives. */
    RecordingUpstream upstream() {
        RecordingUpstream u = new RecordingUpstream();
        for (String d : directives) {
            if (!d.startsWith("upstream ")) {
                continue;
            }
            String[] w = d.substring(9).trim().split(" ", 2);
            switch (w[0]) {
                case "down" -> u.down();
                case "mail" -> u.mailReply(reply(w[1]));
                case "data" -> u.dataReply(reply(w[1]));
                case "rcpt" -> {
                    String[] r = w[1].split(" ", 2);
                    u.rcptReply(r[0], reply(r[1]));
                }
                case "plain" -> u.capabilities(new UpstreamCapabilities(Long.parseLong(w[1]), false, false));
                default -> throw new IllegalArgumentException(name + ": unknown @upstream " + w[0]);
            }
        }
        return u;
    }

    private static SmtpReply reply(String s) {
        String[] p = s.split(" ", 3);
        return SmtpReply.of(Integer.parseInt(p[0]), p[1], p.length > 2 ? p[2] : "");
    }

    boolean holdFails() {
        return directives.contains("hold failing");
    }

    /** Whether the script wants to connect from a non-loopback address ({@code @connect external}). */
    boolean external() {
        return directives.contains("connect external");
    }

    /** Runs the dialogue, then checks the {@code @expect} directives. */
    void run(TestGateway gw) throws Exception {
        String host = external() ? TestGateway.externalAddress().getHostAddress() : "127.0.0.1";
        try (Socket socket = new Socket(host, gw.port())) {
            socket.setSoTimeout(10_000);
            Socket current = socket;
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            int step = 0;
            for (String[] s : steps) {
                step++;
                String where = name + " step " + step + " (" + s[0] + " " + s[1] + ")";
                switch (s[0]) {
                    case "C" -> pending.write((expand(s[1]) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    case "R" -> pending.write(expand(s[1]).getBytes(StandardCharsets.ISO_8859_1));
                    case "S" -> {
                        flush(pending, out);
                        String line = readLine(in);
                        if (line == null) {
                            fail(where + ": connection closed, expected " + s[1]);
                        }
                        assertTrue(Pattern.compile(s[1], Pattern.DOTALL).matcher(line).matches(),
                                where + ": got '" + line + "'");
                    }
                    case "M" -> {
                        flush(pending, out);
                        String line;
                        do {
                            line = readLine(in);
                            if (line == null) {
                                fail(where + ": connection closed, expected " + s[1]);
                            }
                        } while (line.length() > 3 && line.charAt(3) == '-');
                        assertTrue(Pattern.compile(s[1], Pattern.DOTALL).matcher(line).matches(),
                                where + ": got '" + line + "'");
                    }
                    case "CLOSED" -> {
                        flush(pending, out);
                        String line = readLine(in);
                        assertEquals(null, line, where + ": expected the connection to close");
                    }
                    case "TLS" -> {
                        flush(pending, out);
                        SSLSocket ssl = (SSLSocket) TestGateway.tls().client().getSocketFactory()
                                .createSocket(current, "127.0.0.1", gw.port(), true);
                        ssl.setUseClientMode(true);
                        ssl.startHandshake();
                        current = ssl;
                        in = ssl.getInputStream();
                        out = ssl.getOutputStream();
                    }
                    case "SLEEP" -> {
                        flush(pending, out);
                        Thread.sleep(Long.parseLong(s[1].trim()));
                    }
                    default -> throw new IllegalArgumentException(where + ": unknown step");
                }
            }
            flush(pending, out);
        }
        checkExpectations(gw);
    }

    private void checkExpectations(TestGateway gw) throws InterruptedException {
        for (String d : directives) {
            if (!d.startsWith("expect ")) {
                continue;
            }
            String[] w = d.substring(7).trim().split(" ", 2);
            String arg = expand(w.length > 1 ? w[1] : "");
            long until = System.nanoTime() + 3_000_000_000L;
            while (true) {
                String problem = check(gw, w[0], arg);
                if (problem == null) {
                    break;
                }
                if (System.nanoTime() > until) {
                    fail(name + ": @expect " + d.substring(7) + ": " + problem);
                }
                Thread.sleep(20);
            }
        }
    }

    private static String check(TestGateway gw, String what, String arg) {
        return switch (what) {
            case "delivered" -> count(gw.upstream.messages().size(), arg);
            case "held" -> count(gw.holds.items.size(), arg);
            case "notices" -> count(gw.upstream.notices().size(), arg);
            case "delivered-contains" -> gw.upstream.messages().stream().anyMatch(m -> m.text().contains(arg))
                    ? null : "no delivered message contains it";
            case "delivered-lacks" -> gw.upstream.messages().stream().noneMatch(m -> m.text().contains(arg))
                    ? null : "a delivered message contains it";
            case "held-contains" -> gw.holds.contents.values().stream()
                    .anyMatch(b -> new String(b, StandardCharsets.UTF_8).contains(arg)) ? null : "no held message contains it";
            default -> throw new IllegalArgumentException("unknown @expect " + what);
        };
    }

    private static String count(int actual, String expected) {
        return actual == Integer.parseInt(expected.trim()) ? null : "got " + actual;
    }

    private static void flush(ByteArrayOutputStream pending, OutputStream out) throws IOException {
        if (pending.size() > 0) {
            try {
                out.write(pending.toByteArray());
                out.flush();
            } catch (SocketException e) {
                // The server may already have closed (that is what some scripts test); the next step says.
            }
            pending.reset();
        }
    }

    /** A reply line without its CRLF, or {@code null} at the end of the stream. Unbuffered, so TLS can take over. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        try {
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply within the socket timeout; partial: '" + line + "'", e);
        } catch (SocketException e) {
            return null;
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Escapes: \r \n \t \\ \xHH \{ ; {N*c} repeats the character c N times. */
    static String expand(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                switch (e) {
                    case 'r' -> sb.append('\r');
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'x' -> {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> sb.append(e);
                }
            } else if (c == '{' && s.indexOf('}', i) > 0 && s.substring(i + 1, s.indexOf('}', i)).matches("\\d+\\*.")) {
                int close = s.indexOf('}', i);
                String[] rep = s.substring(i + 1, close).split("\\*", 2);
                sb.append(rep[1].repeat(Integer.parseInt(rep[0])));
                i = close;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
