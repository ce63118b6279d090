import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N SMTP sessions, says EHLO on each and keeps them open (idle) until Enter is pressed or
 * HOLD seconds have passed, so the server's memory can be measured meanwhile.
 *
 * <pre>java bench/smtp/IdleSessions.java HOST PORT [N=2000] [HOLD=30]</pre>
 */
public final class IdleSessions {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int hold = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(host, port);
            s.setSoTimeout(30_000);
            open.add(s);
            s.getOutputStream().write("EHLO idle.test\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        int ok = 0;
        for (Socket s : open) {
            if (readUntilEhloDone(s.getInputStream())) {
                ok++;
            }
        }
        System.out.println("sessions=" + n + " ehlo-ok=" + ok);
        System.out.flush();
        long until = System.currentTimeMillis() + hold * 1000L;
        while (System.currentTimeMillis() < until && System.in.available() == 0) {
            Thread.sleep(100);
        }
        for (Socket s : open) {
            s.close();
        }
    }

    /** True when the greeting and a complete 250 EHLO reply arrived. */
    private static boolean readUntilEhloDone(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String l = line.toString();
                if (l.startsWith("250 ")) {
                    return true;
                }
                if (!l.startsWith("220") && !l.startsWith("250-")) {
                    return false;
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        return false;
    }
}
