import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Per-message latency of an SMTP relay path: one session sends N messages of SIZE bytes one after
 * the other and times each from MAIL FROM to the final reply after the dot (which, before-queue,
 * includes the relay to the next hop). Prints p50/p90/p99/max in milliseconds.
 *
 * <pre>java bench/smtp/SmtpLatency.java HOST PORT [N=2000] [SIZE=10240] [WARMUP=500]</pre>
 */
public final class SmtpLatency {
    public static void main(String[] args) throws IOException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 10240;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        byte[] message = message(size);
        long[] nanos = new long[n];
        try (Socket s = new Socket(host, port)) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO latency.test", "250");
            for (int i = -warmup; i < n; i++) {
                long t0 = System.nanoTime();
                command(out, in, "MAIL FROM:<sender@example.co.jp>", "250");
                command(out, in, "RCPT TO:<rcpt@partner.example>", "250");
                command(out, in, "DATA", "354");
                out.write(message);
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                expect(in, "250");
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
            }
            command(out, in, "QUIT", "221");
        }
        Arrays.sort(nanos);
        System.out.printf("n=%d size=%d p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms%n", n, size,
                pct(nanos, 50), pct(nanos, 90), pct(nanos, 99), nanos[n - 1] / 1e6);
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** Headers and text lines of about {@code size} bytes, no digits (nothing for the scanner to find). */
    private static byte[] message(int size) {
        StringBuilder sb = new StringBuilder("From: sender@example.co.jp\r\nTo: rcpt@partner.example\r\n"
                + "Subject: latency probe\r\nMessage-ID: <probe@example.co.jp>\r\n\r\n");
        String line = "The quick brown fox jumps over the lazy dog; lorem ipsum dolor sit amet.\r\n";
        while (sb.length() + line.length() <= size) {
            sb.append(line);
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void command(OutputStream out, InputStream in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(InputStream in, String code) throws IOException {
        String reply;
        do {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                sb.append((char) c);
            }
            if (c < 0) {
                throw new IOException("connection closed");
            }
            reply = sb.toString();
        } while (reply.length() > 3 && reply.charAt(3) == '-');
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + reply);
        }
    }
}
