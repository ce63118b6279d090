package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jp.mynaguard.certs.CertificateAuthority;
import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.PolicyLoader;

/**
 * A real SMTP server on a loopback port with the test policy, a {@link RecordingUpstream} and a
 * {@link MemoryHoldStore}; users {@code tanaka} and {@code sato} (password {@code secret}).
 */
final class TestGateway implements AutoCloseable {
    static final String PASSWORD = "secret";
    private static volatile Tls tls;

    final RecordingUpstream upstream;
    final MemoryHoldStore holds = new MemoryHoldStore();
    /** Reference ids of approvals refused for want of an approver, as told to {@code HoldEvents}. */
    final List<String> refusedApprovals = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final SmtpServer server;
    final Path usersFile;

    /** A CA and a server certificate for 127.0.0.1, made once per test run. */
    record Tls(CertificateAuthority ca, SslContext server, SSLContext client) {
    }

    TestGateway(Consumer<SmtpServerConfig.Builder> config) throws Exception {
        this(config, new RecordingUpstream(), policyFile());
    }

    TestGateway(Consumer<SmtpServerConfig.Builder> config, RecordingUpstream upstream, Path policy) throws Exception {
        this(config, upstream, policy, jp.mynaguard.proxy.audit.AuditSink.NONE);
    }

    TestGateway(Consumer<SmtpServerConfig.Builder> config, RecordingUpstream upstream, Path policy,
                jp.mynaguard.proxy.audit.AuditSink audit) throws Exception {
        this.upstream = upstream;
        this.usersFile = Files.createTempFile("mynaguard-users-", ".txt");
        SmtpUsers.write(usersFile, List.of(
                new SmtpUser("tanaka", PasswordHash.create(PASSWORD.toCharArray(), 1000), List.of("tanaka@example.co.jp")),
                new SmtpUser("sato", PasswordHash.create(PASSWORD.toCharArray(), 1000), List.of("sato@example.co.jp")),
                new SmtpUser("scanner", SmtpUsers.DISABLED, List.of("scanner@example.co.jp"))));
        SmtpServerConfig.Builder b = SmtpServerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .hostname("mynaguard.test")
                .users(SmtpUsers.open(usersFile));
        config.accept(b);
        LoadResult loaded = PolicyLoader.withSystemClock().load(policy);
        PolicySnapshot snapshot = PolicySnapshot.of(loaded.policy().orElseThrow(() -> new IllegalStateException(
                "test policy invalid: " + loaded.errors())));
        this.server = SmtpServer.builder(b.build())
                .upstream(upstream)
                .holdStore(holds)
                .holdEvents((ref, rule, sender, count, findings) -> refusedApprovals.add(ref))
                .policy(() -> snapshot)
                .clock(Clock.systemDefaultZone())
                .audit(audit)
                .ioThreads(2)
                .workers(2, 16)
                .start();
    }

    /** A non-loopback address of this machine, or {@code null}: to test what remote clients see. */
    static java.net.InetAddress externalAddress() {
        try {
            for (java.net.NetworkInterface ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (java.net.InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        } catch (java.net.SocketException e) {
            return null;
        }
        return null;
    }

    int port() {
        return server.localAddress().getPort();
    }

    static Path resource(String name) {
        try {
            return Paths.get(TestGateway.class.getResource("/smtp/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path policyFile() {
        return resource("policy.yaml");
    }

    /** The shared test CA and contexts. */
    static Tls tls() throws GeneralSecurityException, IOException {
        Tls t = tls;
        if (t == null) {
            synchronized (TestGateway.class) {
                if (tls == null) {
                    CertificateAuthority ca = CertificateAuthority.create("Mynaguard SMTP test CA", Instant.now());
                    CertificateAuthority.ServerCertificate leaf = ca.issueServerCertificate("127.0.0.1", Instant.now());
                    SslContext server = SslContextBuilder.forServer(leaf.key(), leaf.chain()).build();
                    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
                    trust.load(null, null);
                    trust.setCertificateEntry("ca", ca.certificate());
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(trust);
                    SSLContext client = SSLContext.getInstance("TLS");
                    client.init(null, tmf.getTrustManagers(), null);
                    tls = new Tls(ca, server, client);
                }
                t = tls;
            }
        }
        return t;
    }

    @Override
    public void close() throws IOException {
        server.stop(java.time.Duration.ofSeconds(2));
        Files.deleteIfExists(usersFile);
    }
}
