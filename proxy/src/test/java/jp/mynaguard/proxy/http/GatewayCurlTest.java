package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.HttpProxySettings;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.integration.ClientAndServer;

/**
 * The gateway as {@code mynaguard serve} starts it (real hold store, policy runtime, SMTP beside),
 * with curl as the client: src/test/scripts/http-proxy-e2e.sh passes every check.
 */
class GatewayCurlTest {
    @Test
    void curlThroughTheGatewaysProxy(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/curl").canExecute() || new File("/usr/local/bin/curl").canExecute(),
                "curl is not installed");
        Path corpus = CorpusCases.requireCorpus();
        Path script = Path.of("src/test/scripts/http-proxy-e2e.sh").toAbsolutePath();
        org.mockserver.configuration.ConfigurationProperties.logLevel("WARN");
        try (ClientAndServer origin = ClientAndServer.startClientAndServer(0)) {
            origin.when(request()).respond(response().withStatusCode(200).withBody("origin ok"));
            GatewayConfig config = GatewayConfig.builder().dataDir(dir.resolve("data"))
                    .policyFile(ProxyHarness.resource("corpus-policy.yaml")).smtpListen("127.0.0.1:0").opsListen("127.0.0.1:0")
                    .http(HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0").withAllowPrivateDestinations(true))
                    .hostname("mynaguard.test").build();
            try (Gateway g = Gateway.start(config, GatewayComponents.DEFAULT)) {
                Process p = new ProcessBuilder("bash", script.toString(), "127.0.0.1:" + g.httpAddress().getPort(),
                        "http://127.0.0.1:" + origin.getPort(), corpus.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), out);
                assertTrue(out.contains("5 passed, 0 failed"), out);
            }
        }
        try (var files = Files.list(dir.resolve("data").resolve("spool"))) {
            assertEquals(0, files.count(), "no request body left in the spool");
        }
    }
}
