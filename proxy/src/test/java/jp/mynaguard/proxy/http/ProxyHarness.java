package jp.mynaguard.proxy.http;

import static org.mockserver.model.HttpRequest.request;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.hold.SqliteHoldStore;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.PolicySnapshot;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.mockserver.integration.ClientAndServer;

/**
 * A proxy on loopback with the real parts: MockServer as the origin, the SQLite hold store in a
 * temporary directory, a users file, a test policy, and an audit sink that keeps the events.
 */
final class ProxyHarness implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";

    final Path dir;
    final ClientAndServer origin;
    final SqliteHoldStore holds;
    final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
    final HttpProxyServer proxy;
    final Path usersFile;

    ProxyHarness(String policy, Consumer<HttpProxyConfig.Builder> settings) throws Exception {
        this(policy, settings, null);
    }

    ProxyHarness(String policy, Consumer<HttpProxyConfig.Builder> settings,
                 java.util.function.Function<ExchangePipeline, ConnectTunnels> tunnels) throws Exception {
        this.dir = Files.createTempDirectory("mynaguard-http-test-");
        this.usersFile = dir.resolve("users");
        SmtpUsers.write(usersFile, List.of(
                new SmtpUser("tanaka", PasswordHash.create(PASSWORD.toCharArray(), 1000), List.of("tanaka@example.co.jp")),
                new SmtpUser("suzuki", PasswordHash.create(PASSWORD.toCharArray(), 1000), List.of("suzuki@example.co.jp")),
                new SmtpUser("scanner", SmtpUsers.DISABLED, List.of("scanner@example.co.jp"))));
        org.mockserver.configuration.ConfigurationProperties.logLevel("WARN");
        this.origin = ClientAndServer.startClientAndServer(0);
        origin.when(request()).respond(org.mockserver.model.HttpClassCallback.callback(OriginRecorder.class));
        this.holds = SqliteHoldStore.open(dir.resolve("data"));
        LoadResult loaded = PolicyLoader.withSystemClock().load(resource(policy));
        PolicySnapshot snapshot = PolicySnapshot.of(loaded.policy().orElseThrow(() -> new IllegalStateException(
                "test policy invalid: " + loaded.errors())));
        HttpProxyConfig.Builder b = HttpProxyConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .allowPrivateDestinations(true)
                .users(SmtpUsers.open(usersFile))
                .spoolDirectory(dir.resolve("spool"));
        settings.accept(b);
        this.proxy = HttpProxyServer.builder(b.build())
                .policy(() -> snapshot)
                .holdStore(holds)
                .audit(audit::add)
                .tunnels(tunnels)
                .clock(Clock.systemDefaultZone())
                .ioThreads(2)
                .workers(2, 64)
                .start();
    }

    int port() {
        return proxy.localAddress().getPort();
    }

    /** {@code http://127.0.0.1:ORIGIN} + path. */
    String originUrl(String path) {
        return "http://127.0.0.1:" + origin.getPort() + path;
    }

    HttpClient client() {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port())))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Bodies the origin received, oldest first. */
    List<byte[]> originBodies() {
        synchronized (OriginRecorder.BODIES) {
            return new ArrayList<>(OriginRecorder.BODIES);
        }
    }

    static Path resource(String name) {
        try {
            return Paths.get(ProxyHarness.class.getResource("/http/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** MockServer's own CA, as a PEM file the proxy can be told to trust. */
    static Path mockServerCa() throws Exception {
        Path pem = Files.createTempFile("mockserver-ca-", ".pem");
        pem.toFile().deleteOnExit();
        try (InputStream in = ClientAndServer.class.getResourceAsStream("/org/mockserver/socket/CertificateAuthorityCertificate.pem")) {
            Files.write(pem, in.readAllBytes());
        }
        return pem;
    }

    @Override
    public void close() throws Exception {
        proxy.stop(java.time.Duration.ZERO);
        origin.stop();
        holds.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
