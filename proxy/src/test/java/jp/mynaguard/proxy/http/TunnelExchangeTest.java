package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jp.mynaguard.certs.CertificateAuthority;

import org.junit.jupiter.api.Test;

/**
 * The HTTPS path through the seam: a minimal {@link ConnectTunnels} (what the certs/tunnel work
 * does for real: answer 200, terminate TLS with a leaf for the host) hands the decrypted stream to
 * {@link HttpProxyServer#exchangePipeline()}; requests inside are inspected and sent to MockServer
 * over TLS, its certificate verified against the admin's bundle. Java's HttpClient is the browser.
 */
class TunnelExchangeTest {
    private static CertificateAuthority ca;
    private static SslContext leaf;

    private static synchronized void certificates() throws Exception {
        if (ca == null) {
            ca = CertificateAuthority.create("Mynaguard tunnel test CA", Instant.now());
            CertificateAuthority.ServerCertificate c = ca.issueServerCertificate(List.of("localhost"), Instant.now());
            leaf = SslContextBuilder.forServer(c.key(), c.chain())
                    .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED).build();
        }
    }

    /** Stands in for the real tunnels: 200, then TLS with our leaf, then the exchange pipeline. */
    private static ConnectTunnels testTunnels(ExchangePipeline exchange, AtomicReference<ProxyUser> seen) {
        return (ctx, connect, user) -> {
            seen.set(user);
            String[] hp = connect.uri().split(":");
            Origin origin = new Origin(hp[0], Integer.parseInt(hp[1]), true);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
            ChannelPipeline p = ctx.pipeline();
            // Last: bytes the proxy's decoder still holds (a ClientHello in the CONNECT packet) flow into it.
            p.addLast("tls", leaf.newHandler(ctx.alloc()));
            ctx.channel().eventLoop().execute(() -> exchange.install(p, origin, user));
        };
    }

    private HttpClient client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", h.port()))).build();
    }

    private ProxyHarness h;

    @Test
    void httpsUploadsAreInspectedInsideTheTunnelAndTheOriginIsVerified() throws Exception {
        certificates();
        AtomicReference<ProxyUser> seen = new AtomicReference<>();
        java.nio.file.Path mockCa = ProxyHarness.mockServerCa();
        h = new ProxyHarness("corpus-policy.yaml", b -> b.upstreamTrust(mockCa), exchange -> testTunnels(exchange, seen));
        try {
            String url = "https://localhost:" + h.origin.getPort() + "/upload";
            byte[] clean = "名簿なし / no roster".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> ok = client().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(clean)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("origin ok", ok.body());
            assertArrayEquals(clean, h.originBodies().get(h.originBodies().size() - 1));
            assertEquals(ProxyUser.ANONYMOUS, seen.get(), "a loopback client without credentials is anonymous");

            byte[] roster = CorpusCases.body("http_upload_07_put_text_file.http");
            HttpResponse<String> blocked = client().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                    "text/plain").PUT(HttpRequest.BodyPublishers.ofByteArray(roster)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, blocked.statusCode());
            assertTrue(blocked.body().contains("my-number-block"));
            CorpusCases.assertNoNumberDigits(blocked.body());
        } finally {
            h.close();
        }
    }

    @Test
    void anOriginCertificateThatCannotBeVerifiedIsAClear502() throws Exception {
        certificates();
        AtomicReference<ProxyUser> seen = new AtomicReference<>();
        // No upstream trust: MockServer's CA is not among the JDK's, so its certificate must not be accepted.
        h = new ProxyHarness("corpus-policy.yaml", b -> { }, exchange -> testTunnels(exchange, seen));
        try {
            int before = h.originBodies().size();
            HttpResponse<String> r = client().send(HttpRequest.newBuilder(URI.create("https://localhost:" + h.origin.getPort()
                    + "/upload")).POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, r.statusCode());
            assertTrue(r.body().contains("証明書"), r.body());
            assertTrue(r.body().contains("certificate could not be verified"), r.body());
            assertEquals(before, h.originBodies().size());
        } finally {
            h.close();
        }
    }

    @Test
    void connectWithoutTunnelsConfiguredIs501() throws Exception {
        h = new ProxyHarness("corpus-policy.yaml", b -> { });
        try (RawHttp c = new RawHttp(h.port())) {
            RawHttp.Response r = c.send("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n").read();
            assertEquals(501, r.status());
            assertTrue(r.text().contains("CONNECT"));
        } finally {
            h.close();
        }
    }
}
