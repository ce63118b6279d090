package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** Client-side TLS for tunnel tests: trust stores, ClientHello bytes, and an SSLEngine driven over a socket. */
final class TlsClients {
    private TlsClients() {
    }

    static SSLContext trusting(X509Certificate... cas) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < cas.length; i++) {
            ks.setCertificateEntry("ca" + i, cas[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** A client engine that sends {@code sni} (null: none) and offers {@code alpn}; checks the name when {@code verifyName}. */
    static SSLEngine engine(SSLContext ctx, String sni, List<String> alpn, boolean verifyName) {
        SSLEngine e = ctx.createSSLEngine(sni, 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        p.setApplicationProtocols(alpn.toArray(new String[0]));
        if (verifyName) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        e.setSSLParameters(p);
        return e;
    }

    /** The engine's first flight: one TLS record carrying its ClientHello. */
    static byte[] clientHello(SSLEngine e) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.beginHandshake();
        SSLEngineResult r = e.wrap(ByteBuffer.allocate(0), out);
        if (r.getStatus() != SSLEngineResult.Status.OK) {
            throw new IOException("no ClientHello: " + r);
        }
        out.flip();
        return Arrays.copyOfRange(out.array(), 0, out.limit());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a proxy response head (up to the blank line) byte by byte, so nothing of the tunnel
     * behind it is consumed.
     */
    static String readHead(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        while (!s.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            s.append((char) b);
        }
        return s.toString();
    }

    /** An SSLEngine over a connected socket: finish the handshake, then exchange application bytes. */
    static final class EngineSocket {
        private final SSLEngine engine;
        private final InputStream in;
        private final OutputStream out;
        private ByteBuffer netIn;
        private ByteBuffer appIn;

        EngineSocket(SSLEngine engine, Socket socket) throws IOException {
            this.engine = engine;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
            this.netIn.flip();
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
        }

        /** Continues a handshake whose ClientHello was already sent by hand. */
        void finishHandshake() throws IOException {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap();
                    case NEED_TASK -> {
                        Runnable t;
                        while ((t = engine.getDelegatedTask()) != null) {
                            t.run();
                        }
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        void write(byte[] data) throws IOException {
            wrap(ByteBuffer.wrap(data));
        }

        /** Reads application data until {@code end} appears in it (or the peer closes). */
        String readUntil(String end) throws IOException {
            StringBuilder s = new StringBuilder();
            while (!s.toString().contains(end)) {
                appIn.clear();
                if (!unwrap()) {
                    break;
                }
                appIn.flip();
                s.append(StandardCharsets.UTF_8.decode(appIn));
            }
            return s.toString();
        }

        SSLEngine engine() {
            return engine;
        }

        private void wrap(ByteBuffer app) throws IOException {
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            do {
                net.clear();
                engine.wrap(app, net);
                net.flip();
                out.write(net.array(), 0, net.limit());
            } while (app.hasRemaining());
            out.flush();
        }

        /** @return false at end of stream */
        private boolean unwrap() throws IOException {
            while (true) {
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    netIn.compact();
                    int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                    if (n < 0) {
                        netIn.flip();
                        return false;
                    }
                    netIn.position(netIn.position() + n);
                    netIn.flip();
                    continue;
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return false;
                }
                return true;
            }
        }
    }
}
