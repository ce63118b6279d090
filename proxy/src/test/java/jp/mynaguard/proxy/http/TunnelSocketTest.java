package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import jp.mynaguard.certs.CertificateAuthority;
import jp.mynaguard.certs.LeafCertificateCache;
import jp.mynaguard.proxy.audit.AuditEvent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tunnels over real loopback sockets: real TLS clients (JDK HttpClient, SSLSocket, a hand-driven
 * SSLEngine) through {@link TestTunnelProxy}, interception with our minted leaves, passthrough to
 * a real TLS origin that has its own CA.
 */
class TunnelSocketTest {
    static CertificateAuthority ca;
    static LeafCertificateCache leaves;

    final RecordingAudit audit = new RecordingAudit();
    final FixedAnswerExchange exchange = new FixedAnswerExchange();
    TunnelOpener opener;
    TestTunnelProxy proxy;
    TlsOrigin bank;

    @BeforeAll
    static void ca() throws Exception {
        ca = CertificateAuthority.create("Socket Test Interception CA", Instant.now());
        leaves = LeafCertificateCache.forAuthority(ca);
    }

    private void start(TunnelSettings settings, boolean allowPrivate) throws Exception {
        bank = new TlsOrigin("bank.example.test");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        opener = TunnelOpener.builder()
                .settings(settings.toBuilder().allowedPorts(Set.of(443, bank.port())).build())
                .guard(new DestinationGuard(allowPrivate))
                .certificates(leaves)
                .exchange(exchange)
                .audit(audit)
                .resolver(TunnelOpener.Resolver.withNames(Map.of(
                        "upload.example.test", loopback, "bank.example.test", loopback, "evil.example.test", loopback),
                        TunnelOpener.Resolver.SYSTEM))
                .build();
        proxy = new TestTunnelProxy(opener);
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (opener != null) {
            opener.close();
        }
        if (bank != null) {
            bank.close();
        }
    }

    private Socket connectThroughProxy(String target) throws Exception {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(10_000);
        s.getOutputStream().write(TlsClients.ascii("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n"));
        return s;
    }

    private SSLSocket tls(Socket tunnel, SSLContext ctx, String sni, boolean verifyName) throws Exception {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(tunnel, sni, 443, true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        if (verifyName) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        s.setSSLParameters(p);
        return s;
    }

    private static String get(SSLSocket s, String host) throws Exception {
        s.getOutputStream().write(TlsClients.ascii("GET /check HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
        s.getOutputStream().flush();
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void javaHttpClientTrustingOurCaGetsTheExchangeAnswerOverHttp11() throws Exception {
        start(TunnelSettings.DEFAULTS, true);
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .sslContext(TlsClients.trusting(ca.certificate()))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://upload.example.test/form"))
                .POST(HttpRequest.BodyPublishers.ofString("name=tanaka")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("answer for upload.example.test:443 to tanaka: POST /form", r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "ALPN: http/1.1 although the client offered h2");
        X509Certificate leaf = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
        assertEquals(ca.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals(List.of("POST /form name=tanaka"), exchange.requests);
        assertEquals(0, bank.connections.get());
    }

    @Test
    void passthroughRelaysTheOriginsOwnTlsAndRecordsTheBytes() throws Exception {
        start(TunnelSettings.builder().passthroughHosts(List.of("bank.example.test")).build(), true);
        String answer;
        try (Socket tunnel = connectThroughProxy("bank.example.test:" + bank.port())) {
            assertEquals("HTTP/1.1 200 Connection Established\r\n\r\n", TlsClients.readHead(tunnel.getInputStream()));
            // The client trusts only the origin's CA and checks the name: only the origin itself can answer.
            SSLSocket s = tls(tunnel, TlsClients.trusting(bank.ca.certificate()), "bank.example.test", true);
            answer = get(s, "bank.example.test");
            s.close();
        }
        assertTrue(answer.endsWith("origin bank.example.test"), answer);
        AuditEvent e = audit.await(RecordingAudit.action("passthrough"));
        assertEquals("bank.example.test", e.fields().get("host"));
        assertEquals(bank.port(), e.fields().get("port"));
        assertEquals("bank.example.test", e.fields().get("sni"));
        assertEquals("127.0.0.1", e.fields().get("address"));
        assertEquals("tanaka", e.fields().get("user"));
        // The origin closed first, so everything it wrote was relayed; the client may still have
        // sent its close_notify after that, which the origin never read.
        assertEquals(bank.bytesOut.get(), e.fields().get("bytes_received"));
        long sent = (Long) e.fields().get("bytes_sent");
        assertTrue(sent >= bank.bytesIn.get() && sent - bank.bytesIn.get() < 100, sent + " vs " + bank.bytesIn.get());
        assertTrue(bank.bytesIn.get() > 300, "the ClientHello and the request went through");
        assertTrue(exchange.installs.isEmpty());
    }

    @Test
    void aListedHostWithAnotherSniIsInterceptedNotTunnelled() throws Exception {
        start(TunnelSettings.builder().passthroughHosts(List.of("bank.example.test")).build(), true);
        try (Socket tunnel = connectThroughProxy("bank.example.test:" + bank.port())) {
            assertEquals("HTTP/1.1 200 Connection Established\r\n\r\n", TlsClients.readHead(tunnel.getInputStream()));
            // SNI says evil, CONNECT says bank: the client trusts both CAs and checks no name, so it
            // would happily talk to either; what it gets is our leaf for the CONNECT host.
            SSLSocket s = tls(tunnel, TlsClients.trusting(bank.ca.certificate(), ca.certificate()), "evil.example.test", false);
            s.startHandshake();
            X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
            assertEquals(ca.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
            assertEquals(List.of(List.of(2, "bank.example.test")), List.copyOf(leaf.getSubjectAlternativeNames()));
            assertEquals("answer for bank.example.test:" + bank.port() + " to tanaka: GET /check", body(get(s, "evil.example.test")));
        }
        assertEquals(0, bank.connections.get(), "nothing reached the origin unopened");
        assertTrue(audit.events.stream().noneMatch(RecordingAudit.action("passthrough")));
    }

    @Test
    void clientHelloInTheSameSegmentAsConnect() throws Exception {
        start(TunnelSettings.DEFAULTS, true);
        TlsClients.EngineSocket tls;
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            javax.net.ssl.SSLEngine engine = TlsClients.engine(TlsClients.trusting(ca.certificate()), "upload.example.test",
                    List.of("http/1.1"), true);
            byte[] connect = TlsClients.ascii("CONNECT upload.example.test:443 HTTP/1.1\r\nHost: upload.example.test:443\r\n\r\n");
            byte[] hello = TlsClients.clientHello(engine);
            byte[] both = new byte[connect.length + hello.length];
            System.arraycopy(connect, 0, both, 0, connect.length);
            System.arraycopy(hello, 0, both, connect.length, hello.length);
            s.getOutputStream().write(both);   // one write, one segment on loopback
            assertEquals("HTTP/1.1 200 Connection Established\r\n\r\n", TlsClients.readHead(s.getInputStream()));
            tls = new TlsClients.EngineSocket(engine, s);
            tls.finishHandshake();
            assertEquals("http/1.1", engine.getApplicationProtocol());
            tls.write(TlsClients.ascii("GET /same-packet HTTP/1.1\r\nHost: upload.example.test\r\nConnection: close\r\n\r\n"));
            assertEquals("answer for upload.example.test:443 to tanaka: GET /same-packet", body(tls.readUntil("/same-packet")));
        }
    }

    @Test
    void port25AndInternalAddressesAreRefusedOnTheWire() throws Exception {
        start(TunnelSettings.DEFAULTS, false);
        try (Socket s = connectThroughProxy("smtp.example.test:25")) {
            String res = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(res.startsWith("HTTP/1.1 403 Forbidden\r\n"), res);
            assertTrue(res.contains("ポート 25 への接続は許可されていません。"), res);
        }
        for (String target : new String[] {"127.0.0.1:443", "upload.example.test:443", "[::1]:443", "192.168.1.1:443"}) {
            try (Socket s = connectThroughProxy(target)) {
                String res = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(res.startsWith("HTTP/1.1 403 Forbidden\r\n"), target + ": " + res);
            }
        }
        assertEquals(5, audit.events.stream().filter(RecordingAudit.action("refuse")).count());
    }

    @Test
    void aClientThatRejectsOurCertificateIsRecorded() throws Exception {
        start(TunnelSettings.DEFAULTS, true);
        try (Socket tunnel = connectThroughProxy("upload.example.test:443")) {
            TlsClients.readHead(tunnel.getInputStream());
            // Trusts only its own pinned CA, as an app with certificate pinning does.
            SSLSocket s = tls(tunnel, TlsClients.trusting(bank.ca.certificate()), "upload.example.test", true);
            assertThrows(SSLHandshakeException.class, s::startHandshake);
        }
        AuditEvent e = audit.await(RecordingAudit.action("intercept"));
        assertEquals("client rejected interception certificate (pinning?)", e.fields().get("reason"));
        assertEquals("upload.example.test", e.fields().get("host"));
        assertEquals("certificate_unknown", e.fields().get("alert"));
    }

    @Test
    void aClientThatHangsUpAfterOurCertificateIsRecorded() throws Exception {
        start(TunnelSettings.DEFAULTS, true);
        try (Socket s = connectThroughProxy("upload.example.test:443")) {
            InputStream in = s.getInputStream();
            TlsClients.readHead(in);
            OutputStream out = s.getOutputStream();
            out.write(TlsClients.clientHello(TlsClients.engine(TlsClients.trusting(ca.certificate()), "upload.example.test",
                    List.of(), false)));
            assertTrue(in.read() == 0x16, "our ServerHello arrives");
        }
        AuditEvent e = audit.await(RecordingAudit.action("intercept"));
        assertEquals(InterceptionWatcher.CLOSED_AFTER_CERTIFICATE, e.fields().get("alert"));
    }

    @Test
    void plainHttpInsideATunnelIsRefused() throws Exception {
        start(TunnelSettings.DEFAULTS, true);
        try (Socket s = connectThroughProxy("upload.example.test:443")) {
            TlsClients.readHead(s.getInputStream());
            s.getOutputStream().write(TlsClients.ascii("POST /upload HTTP/1.1\r\nHost: upload.example.test\r\nContent-Length: 3\r\n\r\nabc"));
            String res = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(res.startsWith("HTTP/1.1 403 Forbidden\r\n"), res);
            assertTrue(res.contains("TLS 以外の通信は許可されていません"), res);
        }
        assertTrue(exchange.requests.isEmpty());
    }

    @Test
    void curlWithOurCaUploadsThroughTheTunnelAndCurlWithoutItIsRecorded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/curl")),
                "curl is not installed");
        start(TunnelSettings.DEFAULTS, true);
        java.nio.file.Path pem = dir.resolve("ca.pem");
        java.nio.file.Files.writeString(pem, ca.certificatePem());
        String proxyUrl = "http://127.0.0.1:" + proxy.port();

        Curl ok = Curl.run("-sS", "--http1.1", "-x", proxyUrl, "--cacert", pem.toString(), "-d", "note=hello",
                "https://upload.example.test/curl");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("answer for upload.example.test:443 to tanaka: POST /curl", ok.out());
        assertEquals(List.of("POST /curl note=hello"), exchange.requests);

        Curl refused = Curl.run("-sS", "-x", proxyUrl, "https://upload.example.test/curl");
        assertEquals(60, refused.exit(), "curl: peer certificate cannot be authenticated");
        AuditEvent e = audit.await(RecordingAudit.action("intercept"));
        assertEquals("unknown_ca", e.fields().get("alert"));
    }

    record Curl(int exit, String out, String err) {
        static Curl run(String... args) throws Exception {
            List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "20"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Curl(p.waitFor(), out, err);
        }
    }

    private static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? response : response.substring(i + 4);
    }
}
