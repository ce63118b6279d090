package jp.mynaguard.proxy.audit;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of the audit trail on a syslog server, so the evidence also lives outside the host:
 * every line as one RFC 5424 message, framed by octet counting (RFC 6587) over TCP, or over TLS
 * (RFC 5425, server certificate and host name checked).
 *
 * <p>The audit writer only hands lines over ({@link #accept}); this class's own thread sends,
 * reconnects with a growing pause, and while the server is away keeps up to
 * {@link AuditLimits#SYSLOG_QUEUE} lines. Beyond that the oldest are skipped, and once connected
 * again a message says how many: they are all still in the local trail, which never waits for syslog.
 * Delivery is at least once: TCP may swallow what was written just before a connection broke, so
 * after a reconnect the last {@link AuditLimits#SYSLOG_RESEND} lines are sent again (their
 * {@code seq} tells the duplicates).
 */
public final class SyslogForwarder implements java.util.function.Consumer<List<byte[]>>, Closeable {
    private static final Logger log = LoggerFactory.getLogger(SyslogForwarder.class);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final int SEVERITY_INFO = 6;
    private static final int SEVERITY_WARNING = 4;

    private final AuditSettings.SyslogSettings settings;
    private final String hostname;
    private final SSLContext tls;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    /** Sent last: TCP can swallow what was written just before a connection broke, so these go again. */
    private final Deque<byte[]> recent = new ArrayDeque<>();
    private final int capacity;
    private final Thread sender;
    private long skipped;
    private volatile boolean closed;
    private volatile boolean connected;
    private Socket socket;

    public SyslogForwarder(AuditSettings.SyslogSettings settings, String hostname) throws IOException {
        this(settings, hostname, AuditLimits.SYSLOG_QUEUE);
    }

    SyslogForwarder(AuditSettings.SyslogSettings settings, String hostname, int capacity) throws IOException {
        this.settings = settings;
        this.hostname = header(hostname, 255);
        this.capacity = capacity;
        this.tls = settings.tls() ? sslContext(settings) : null;
        this.sender = new Thread(this::sendLoop, "mynaguard-audit-syslog");
        sender.setDaemon(true);
        sender.start();
    }

    /** Whether the link is up now (for health and tests). */
    public boolean connected() {
        return connected;
    }

    /** Lines skipped so far because the link was down too long. */
    public synchronized long skipped() {
        return skipped;
    }

    /** Lines waiting to be sent. */
    public synchronized int waiting() {
        return queue.size();
    }

    @Override
    public synchronized void accept(List<byte[]> lines) {
        for (byte[] l : lines) {
            if (queue.size() >= capacity) {
                queue.pollFirst();
                skipped++;
            }
            queue.addLast(l);
        }
        notifyAll();
    }

    private void sendLoop() {
        long pause = AuditLimits.SYSLOG_RETRY_MIN.toMillis();
        long reported = 0;
        while (!closed) {
            byte[] line;
            try {
                line = next();
            } catch (InterruptedException e) {
                break;
            }
            if (line == null) {
                continue;
            }
            try {
                OutputStream out = connect();
                long gap = skipped();
                if (gap > reported) {
                    out.write(frame(note(gap - reported), SEVERITY_WARNING, "audit.syslog"));
                    reported = gap;
                }
                out.write(message(line));
                out.flush();
                lastSend = System.nanoTime();
                take(line);
                recent.addLast(line);
                if (recent.size() > AuditLimits.SYSLOG_RESEND) {
                    recent.pollFirst();
                }
                pause = AuditLimits.SYSLOG_RETRY_MIN.toMillis();
            } catch (IOException | RuntimeException e) {
                if (connected) {
                    log.warn("syslog {}:{} lost ({}); the local audit trail goes on, reconnecting", settings.host(),
                            settings.port(), e.toString());
                } else if (pause == AuditLimits.SYSLOG_RETRY_MIN.toMillis()) {
                    log.warn("syslog {}:{} unreachable ({}); retrying", settings.host(), settings.port(), e.toString());
                }
                disconnect();
                sleep(pause);
                pause = Math.min(pause * 2, AuditLimits.SYSLOG_RETRY_MAX.toMillis());
            }
        }
        disconnect();
    }

    private synchronized byte[] next() throws InterruptedException {
        if (queue.isEmpty()) {
            wait(1000);
        }
        return queue.peekFirst();
    }

    /** Removes the line just sent (unless it was already pushed out by an overflow). */
    private synchronized void take(byte[] line) {
        if (queue.peekFirst() == line) {
            queue.pollFirst();
        }
        notifyAll();
    }

    private OutputStream out;
    private long lastSend = System.nanoTime();
    /** After this long without sending, the link is checked before the next line (a receiver may have gone away). */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Whether the receiver closed the connection: syslog receivers never send, so a read that
     * ends the stream (or fails) means the link is gone, and one that times out means it is up.
     * Without this the first line after a receiver restarts would go into a dead socket.
     */
    private boolean peerClosed() {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                if (socket != null) {
                    socket.setSoTimeout((int) AuditLimits.SYSLOG_CONNECT_TIMEOUT.toMillis());
                }
            } catch (IOException e) {
                // Closed meanwhile; the next write notices.
            }
        }
    }

    private OutputStream connect() throws IOException {
        if (socket != null && System.nanoTime() - lastSend > IDLE_NANOS && peerClosed()) {
            disconnect();
        }
        if (socket != null) {
            return out;
        }
        Socket s = tls != null ? tls.getSocketFactory().createSocket() : new Socket();
        try {
            s.connect(new InetSocketAddress(settings.host(), settings.port()),
                    (int) AuditLimits.SYSLOG_CONNECT_TIMEOUT.toMillis());
            s.setSoTimeout((int) AuditLimits.SYSLOG_CONNECT_TIMEOUT.toMillis());
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
                ssl.startHandshake();
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        // At least once: what may have been lost with the last connection is sent again (seq tells duplicates).
        for (byte[] again : recent) {
            out.write(message(again));
        }
        if (!connected) {
            log.info("audit copy to syslog {}:{}{} connected", settings.host(), settings.port(), tls != null ? " (TLS)" : "");
        }
        connected = true;
        return out;
    }

    private void disconnect() {
        connected = false;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("closing the syslog socket", e);
            }
            socket = null;
            out = null;
        }
    }

    /** One audit line as a framed RFC 5424 message; MSGID is the record type. */
    byte[] message(byte[] line) {
        String type = "audit";
        String time = null;
        int severity = SEVERITY_INFO;
        try {
            java.util.Map<String, Object> r = AuditJson.parse(line);
            type = String.valueOf(r.get("type"));
            time = String.valueOf(r.get("time"));
            if (Boolean.TRUE.equals(r.get("incident"))) {
                severity = SEVERITY_WARNING;
            }
        } catch (IllegalArgumentException e) {
            // Our own line: cannot happen; send it as it is.
        }
        byte[] msg = line;
        if (msg.length > AuditLimits.SYSLOG_MAX_MESSAGE - 200) {
            msg = ("{\"type\":\"" + header(type, 32) + "\",\"note\":\"record too long for syslog;"
                    + " it is in the local audit trail\"}").getBytes(StandardCharsets.UTF_8);
        }
        return frame(msg, severity, type, time);
    }

    private byte[] frame(byte[] msg, int severity, String msgId) {
        return frame(msg, severity, msgId, null);
    }

    private byte[] frame(byte[] msg, int severity, String msgId, String time) {
        int pri = settings.facility() * 8 + severity;
        String head = "<" + pri + ">1 " + (time == null || time.equals("null") ? AuditJson.time(java.time.Instant.now())
                : time) + " " + hostname + " " + settings.appName() + " " + ProcessHandle.current().pid() + " "
                + header(msgId, 32) + " - ";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        int len = h.length + BOM.length + msg.length;
        byte[] prefix = (len + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + len];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(h, 0, out, prefix.length, h.length);
        System.arraycopy(BOM, 0, out, prefix.length + h.length, BOM.length);
        System.arraycopy(msg, 0, out, prefix.length + h.length + BOM.length, msg.length);
        return out;
    }

    private static byte[] note(long n) {
        return ("{\"type\":\"audit.syslog\",\"skipped\":" + n + ",\"note\":\"audit records not forwarded while"
                + " syslog was unreachable; they are in the local audit trail\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, never empty. */
    static String header(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c > 32 && c < 127 ? c : '_');
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    private static SSLContext sslContext(AuditSettings.SyslogSettings s) throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (s.trustFile() == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                try (InputStream in = Files.newInputStream(s.trustFile())) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + i++, c);
                    }
                    if (i == 0) {
                        throw new IOException(s.trustFile() + ": no certificate in it");
                    }
                }
                tmf.init(ks);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("syslog TLS: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives the queue a moment to drain, then stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (connected && waiting() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        closed = true;
        sender.interrupt();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
