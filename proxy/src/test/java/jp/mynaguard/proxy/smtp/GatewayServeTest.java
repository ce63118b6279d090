package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.policy.rules.PolicyLoadException;
import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.GatewayConfigLoader;
import jp.mynaguard.proxy.gateway.UpstreamSettings;
import jp.mynaguard.proxy.hold.HoldStore;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole gateway as {@code serve} starts it, with the upstream and hold store replaced by doubles. */
class GatewayServeTest {
    private final RecordingUpstream upstream = new RecordingUpstream();
    private final MemoryHoldStore holds = new MemoryHoldStore();
    private UpstreamSettings askedFor;

    private final GatewayComponents.Factory doubles = new GatewayComponents.Factory() {
        @Override
        public Upstream upstream(UpstreamSettings settings, Path dataDir, String ehloName) {
            askedFor = settings;
            return upstream;
        }

        @Override
        public HoldStore holdStore(Path dataDir) {
            return holds;
        }
    };

    private static Path copyPolicy(Path dir) throws Exception {
        Path p = dir.resolve("policy.yaml");
        Files.copy(TestGateway.policyFile(), p);
        return p;
    }

    private static void send(int port, SSLContext trust, String to, String text) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
        Session s = Session.getInstance(p);
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("tanaka@example.co.jp"));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject("test");
        m.setText(text, "UTF-8");
        Transport.send(m);
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    @Test
    void servesWithTheLocalCaAndReloadsThePolicy(@TempDir Path dir) throws Exception {
        Path policy = copyPolicy(dir);
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("spool"));
        Files.writeString(data.resolve("spool").resolve("mynaguard-smtp-left.eml"), "left over from a crash");
        GatewayConfig config = GatewayConfig.builder().dataDir(data).policyFile(policy).smtpListen("127.0.0.1:0").opsListen("127.0.0.1:0")
                    .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0"))
                .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0"))
                .hostname("mynaguard.test").build();
        try (Gateway g = Gateway.start(config, doubles)) {
            assertEquals(UpstreamSettings.OUTBOX, askedFor);
            assertTrue(g.tls());
            assertFalse(Files.exists(data.resolve("spool").resolve("mynaguard-smtp-left.eml")), "stale spool removed");
            if (data.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("ca/ca-key.pem"))));
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("spool"))));
            }
            SSLContext trust = trusting(data.resolve("ca/ca.pem"));
            int port = g.smtpAddress().getPort();

            send(port, trust, "someone@partner.example.test", "quarterly numbers");
            assertEquals(1, upstream.messages().size());
            assertTrue(upstream.messages().get(0).text().contains("with ESMTPS id"));

            // Hot reload: from now on everything is blocked.
            String strict = Files.readString(policy).replace("default:\n  action: allow", "default:\n  action: block");
            Files.writeString(policy, strict);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean blocked = false;
            while (!blocked && System.nanoTime() < until) {
                try {
                    send(port, trust, "someone@partner.example.test", "quarterly numbers");
                    Thread.sleep(200);
                } catch (SMTPSendFailedException e) {
                    blocked = e.getReturnCode() == 550;
                }
            }
            assertTrue(blocked, "the edited policy took effect without a restart");
        }
        // The CA survives a restart: the same ca.pem is trusted again.
        String pem = Files.readString(data.resolve("ca/ca.pem"));
        try (Gateway g = Gateway.start(config, doubles)) {
            assertEquals(pem, Files.readString(data.resolve("ca/ca.pem")));
            assertThrows(SMTPSendFailedException.class,
                    () -> send(g.smtpAddress().getPort(), trusting(data.resolve("ca/ca.pem")), "a@partner.example.test", "x"));
        }
    }

    @Test
    void startTlsUsesTheCaMadeByCaInitInCaDir(@TempDir Path dir) throws Exception {
        Path caDir = dir.resolve("elsewhere").resolve("ca");
        assertEquals(0, jp.mynaguard.proxy.Main.run("ca", "init", "--dir", caDir.toString(), "--name", "Admin's CA"));
        String pem = Files.readString(caDir.resolve("ca.pem"));
        Path data = dir.resolve("data");
        GatewayConfig config = GatewayConfig.builder().dataDir(data).policyFile(copyPolicy(dir)).smtpListen("127.0.0.1:0").opsListen("127.0.0.1:0")
                    .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0"))
                .hostname("mynaguard.test").caDir(caDir).build();
        try (Gateway g = Gateway.start(config, doubles)) {
            send(g.smtpAddress().getPort(), trusting(caDir.resolve("ca.pem")), "someone@partner.example.test", "hello");
            assertEquals(1, upstream.messages().size());
        }
        assertEquals(pem, Files.readString(caDir.resolve("ca.pem")), "the admin's CA is used, not replaced");
        assertFalse(Files.exists(data.resolve("ca")), "no second CA under the data directory");
    }

    @Test
    void anInvalidPolicyStopsTheStart(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nrules: [\n");
        GatewayConfig config = GatewayConfig.builder().dataDir(dir.resolve("data")).policyFile(bad).smtpListen("127.0.0.1:0").opsListen("127.0.0.1:0")
                    .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0")).build();
        assertThrows(PolicyLoadException.class, () -> Gateway.start(config, doubles));
    }

    @Test
    void sighupReloads() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        org.junit.jupiter.api.Assumptions.assumeTrue(installSignal(reloads::incrementAndGet), "no SIGHUP here");
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reloads.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(1, reloads.get());
    }

    private static boolean installSignal(Runnable r) throws Exception {
        java.lang.reflect.Method m = Class.forName("jp.mynaguard.proxy.gateway.SignalReload").getDeclaredMethod("install", Runnable.class);
        m.setAccessible(true);
        return (Boolean) m.invoke(null, r);
    }

    @Test
    void configFileAndFlagsLayerOnTheDefaults(@TempDir Path dir) throws Exception {
        GatewayConfig defaults = GatewayConfig.defaults();
        assertEquals("127.0.0.1", defaults.smtpListenHost());
        assertEquals(2525, defaults.smtpListenPort());
        assertEquals(Path.of("examples", "policy.yaml"), defaults.policyFile());
        assertEquals(Path.of("data"), defaults.dataDir());
        assertTrue(defaults.upstream().outbox());

        Path example = Path.of(TestGateway.class.getResource("/smtp/policy.yaml").toURI()).getParent();
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, String.join("\n",
                "data: d", "policy: p.yaml", "ca_dir: /etc/mynaguard/ca",
                "upstream: {host: smtp.example.co.jp, port: 587, tls: required, username: u, password_file: pw}",
                "tunnels: {ports: [443, 8443], passthrough: ['*.bank.example.co.jp'], client_hello_timeout: 5s}",
                "smtp:", "  listen: '[::1]:1587'", "  max_recipients: 7", "  bare_lf: reject", "  idle_timeout: 90s",
                "  relay_networks: []", "  client_users: [{network: 192.0.2.10/32, user: scanner}]", ""));
        GatewayConfig c = GatewayConfigLoader.load(yaml, GatewayConfig.builder()).build();
        assertEquals(dir.resolve("d"), c.dataDir());
        assertEquals(dir.resolve("p.yaml"), c.policyFile());
        assertEquals("::1", c.smtpListenHost());
        assertEquals(1587, c.smtpListenPort());
        assertEquals(new UpstreamSettings("smtp.example.co.jp", 587, "required", null, "u", dir.resolve("pw")), c.upstream());
        assertEquals(dir.resolve("d").resolve("smtp-users"), c.usersFile());
        assertEquals(Path.of("/etc/mynaguard/ca"), c.caDir());
        assertEquals(java.util.Set.of(443, 8443), c.tunnels().allowedPorts());
        assertTrue(c.tunnels().passthroughHosts().matches("www.bank.example.co.jp"));
        assertEquals(java.time.Duration.ofSeconds(5), c.tunnels().clientHelloTimeout());
        assertEquals(jp.mynaguard.proxy.http.TunnelSettings.DEFAULTS, defaults.tunnels());
        assertEquals(Path.of("data", "ca"), defaults.caDir(), "DATA/ca by default");
        SmtpServerConfig.Builder sb = SmtpServerConfig.builder();
        c.applySmtpSettings(sb);
        SmtpServerConfig s = sb.build();
        assertEquals(7, s.maxRecipients());
        assertEquals(BareLineEndPolicy.REJECT, s.bareLf());
        assertEquals(java.time.Duration.ofSeconds(90), s.idleTimeout());
        assertEquals(List.of(), s.relayNetworks());
        assertEquals("scanner", s.mappedUser(java.net.InetAddress.getByName("192.0.2.10")));

        GatewayConfig flags = c.toBuilder().upstream(UpstreamSettings.parse("outbox")).smtpListen("0.0.0.0:25").build();
        assertTrue(flags.upstream().outbox());
        assertEquals(25, flags.smtpListenPort());

        Files.writeString(yaml, "smtp:\n  max_recipeints: 7\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("smtp.max_recipeints: unknown setting"), e.getMessage());
        Files.writeString(yaml, "tunnels:\n  ports: [443, 25]\n");
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("tunnels") && e.getMessage().contains("port 25"), e.getMessage());
        Files.writeString(yaml, "tunnels:\n  passthrough: ['bank example']\n");
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("tunnels.passthrough"), e.getMessage());
        Files.writeString(yaml, "smtp:\n  idle_timeout: soon\n");
        assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(Files.isDirectory(example));

        // The shipped example is valid and says what the defaults are.
        Path shipped = ScanExamples.root().resolve("examples/gateway.yaml");
        GatewayConfig ex = GatewayConfigLoader.load(shipped, GatewayConfig.builder()).build();
        assertEquals(2525, ex.smtpListenPort());
        assertEquals(jp.mynaguard.proxy.http.TunnelSettings.DEFAULTS, ex.tunnels(), "the example shows the tunnel defaults");
        assertTrue(ex.upstream().outbox());
    }

    /** The repository root, found from the working directory. */
    static final class ScanExamples {
        static Path root() {
            Path p = Path.of("").toAbsolutePath();
            while (!Files.isRegularFile(p.resolve("examples/gateway.yaml"))) {
                p = p.getParent();
            }
            return p;
        }
    }

    static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
