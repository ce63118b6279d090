package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.HttpProxySettings;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.integration.ClientAndServer;

/**
 * HTTPS through the whole gateway as {@code serve} starts it: CONNECT → ClientHello → our leaf from
 * the local CA (DATA/ca/ca.pem, what a user installs) → decrypted request inspected → forwarded to an
 * HTTPS origin verified against the admin's trust bundle. Java's HttpClient and curl as clients.
 */
class GatewayHttpsTest {
    @Test
    void httpsUploadsThroughTheGatewayAreInterceptedAndInspected(@TempDir Path dir) throws Exception {
        org.mockserver.configuration.ConfigurationProperties.logLevel("WARN");
        Path mockCa = ProxyHarness.mockServerCa();
        try (ClientAndServer origin = ClientAndServer.startClientAndServer(0)) {
            origin.when(request()).respond(response().withStatusCode(200).withBody("origin ok"));
            GatewayConfig config = GatewayConfig.builder().dataDir(dir.resolve("data"))
                    .policyFile(ProxyHarness.resource("corpus-policy.yaml")).smtpListen("127.0.0.1:0")
                    .opsListen("127.0.0.1:0")
                    .http(HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0").withAllowPrivateDestinations(true)
                            .withUpstreamTrust(mockCa))
                    // The origin listens on a random port; production allows 443 only.
                    .tunnels(TunnelSettings.builder().allowedPorts(Set.of(origin.getPort())).build())
                    .hostname("mynaguard.test").build();
            try (Gateway g = Gateway.start(config, GatewayComponents.DEFAULT)) {
                Path ourCa = dir.resolve("data").resolve("ca").resolve("ca.pem");
                HttpClient client = HttpClient.newBuilder().sslContext(trusting(ourCa))
                        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", g.httpAddress().getPort()))).build();
                String url = "https://localhost:" + origin.getPort() + "/upload";

                HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("名簿なし / no roster")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode(), ok.body());
                assertEquals("origin ok", ok.body());

                byte[] roster = CorpusCases.body("http_upload_07_put_text_file.http");
                HttpResponse<String> blocked = client.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofByteArray(roster)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, blocked.statusCode());
                assertTrue(blocked.body().contains("マイナンバー"), blocked.body());
                CorpusCases.assertNoNumberDigits(blocked.body());

                curl(g, origin, ourCa);
            }
        }
    }

    /** The same with curl, as the README shows it: {@code curl -x … --cacert DATA/ca/ca.pem}. */
    private static void curl(Gateway g, ClientAndServer origin, Path ourCa) throws Exception {
        if (!new File("/usr/bin/curl").canExecute()) {
            return; // run-tests.sh installs curl; the HttpClient half above still ran
        }
        Path corpus = CorpusCases.requireCorpus();
        Path roster = corpus.resolve("cases").resolve("bulk_03_roster_60_mixed_valid_invalid.csv");
        Assumptions.assumeTrue(Files.isRegularFile(roster), "corpus roster missing");
        String proxy = "http://127.0.0.1:" + g.httpAddress().getPort();
        String url = "https://localhost:" + origin.getPort() + "/upload";
        assertEquals("200", run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-x", proxy, "--cacert",
                ourCa.toString(), "-F", "note=hello;type=text/plain", url));
        assertEquals("403", run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-x", proxy, "--cacert",
                ourCa.toString(), "-F", "file=@" + roster + ";type=text/csv", url));
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "curl did not finish");
        return out.strip();
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("mynaguard", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
