package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.concurrent.CountDownLatch;

import io.netty.handler.ssl.SslContext;
import jp.mynaguard.policy.rules.PolicyLoadException;
import jp.mynaguard.proxy.console.ConsoleServer;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.smtp.SmtpServer;
import jp.mynaguard.proxy.smtp.SmtpServerConfig;
import jp.mynaguard.proxy.smtp.SmtpUsers;
import jp.mynaguard.proxy.smtp.Upstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: policy (with hot reload and SIGHUP), upstream, hold store and SMTP server,
 * started in that order and stopped in reverse. {@link #close()} is the graceful stop.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final PolicyRuntime policy;
    private final Upstream upstream;
    private final HoldStore holds;
    private final SmtpServer smtp;
    private final ConsoleServer console;
    private final HoldWorkflow workflow;
    private final boolean tls;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private Gateway(GatewayConfig config, PolicyRuntime policy, Upstream upstream, HoldStore holds, SmtpServer smtp,
                    HoldWorkflow workflow, ConsoleServer console, boolean tls) {
        this.config = config;
        this.policy = policy;
        this.upstream = upstream;
        this.holds = holds;
        this.smtp = smtp;
        this.workflow = workflow;
        this.console = console;
        this.tls = tls;
    }

    /**
     * Starts everything; on failure, whatever was started is stopped again.
     *
     * @throws PolicyLoadException when the policy is invalid (nothing else is started)
     */
    public static Gateway start(GatewayConfig config, GatewayComponents.Factory components)
            throws IOException, GeneralSecurityException, PolicyLoadException, InterruptedException {
        PolicyRuntime policy = PolicyRuntime.start(config.policyFile());
        Upstream upstream = null;
        HoldStore holds = null;
        try {
            Path data = config.dataDir();
            Files.createDirectories(data);
            Path spool = privateDirectory(data.resolve("spool"));
            removeLeftoverSpoolFiles(spool);
            String hostname = config.hostname() != null ? config.hostname() : localHostName();
            SslContext tls = SmtpTls.context(config.tls(), data, certificateNames(hostname, config.smtpListenHost()));
            upstream = components.upstream(config.upstream(), data, hostname);
            holds = components.holdStore(data);
            SmtpUsers users = SmtpUsers.open(config.usersFile());
            SmtpServerConfig.Builder b = SmtpServerConfig.builder()
                    .listen(new InetSocketAddress(config.smtpListenHost(), config.smtpListenPort()))
                    .hostname(hostname)
                    .users(users)
                    .tls(tls)
                    .spoolDirectory(spool);
            config.applySmtpSettings(b);
            SmtpServer smtp = SmtpServer.builder(b.build()).upstream(upstream).holdStore(holds).policy(policy).start();
            HoldWorkflow workflow = components.workflow(holds, upstream, data);
            ConsoleServer console;
            try {
                console = GatewayConsole.start(config, hostname, users, workflow, new ConsolePolicyStatus(policy));
            } catch (IOException | GeneralSecurityException | InterruptedException | RuntimeException e) {
                smtp.close();
                throw e;
            }
            Gateway g = new Gateway(config, policy, upstream, holds, smtp, workflow, console, tls != null);
            SignalReload.install(policy::reload);
            return g;
        } catch (IOException | GeneralSecurityException | InterruptedException | RuntimeException e) {
            closeQuietly(upstream, holds, policy);
            throw e;
        }
    }

    /** The SMTP listener's bound address. */
    public InetSocketAddress smtpAddress() {
        return smtp.localAddress();
    }

    public boolean tls() {
        return tls;
    }

    /** The console's URL ({@code http://127.0.0.1:8025}), or {@code null} when it is off or has no workflow. */
    public String consoleUrl() {
        return console == null ? null : console.url();
    }

    /** The approval workflow, or {@code null} in a build without one. */
    public HoldWorkflow workflow() {
        return workflow;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The active policy's short version, for the start-up line. */
    public String policyVersion() {
        return policy.get().policy().shortVersion();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (console != null) {
                console.close();
            }
            smtp.close();
        } finally {
            closeQuietly(upstream, holds, policy);
            stopped.countDown();
        }
    }

    private static void closeQuietly(Upstream upstream, HoldStore holds, PolicyRuntime policy) {
        if (upstream != null) {
            try {
                upstream.close();
            } catch (RuntimeException e) {
                log.warn("closing the upstream", e);
            }
        }
        if (holds != null) {
            try {
                holds.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing the hold store", e);
            }
        }
        policy.close();
    }

    private static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not POSIX: the data directory's ACL applies.
        }
        return dir;
    }

    /** Spool files hold message content in clear; after a crash nobody will read them again. */
    private static void removeLeftoverSpoolFiles(Path spool) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spool, "mynaguard-smtp-*.eml")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Names the STARTTLS certificate covers: our host name, the listen address, and on loopback or a
     * wildcard address also localhost and the loopback addresses (what a new user types into a client).
     */
    static java.util.List<String> certificateNames(String hostname, String listenHost) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        names.add(hostname);
        boolean wildcard = listenHost.equals("0.0.0.0") || listenHost.equals("::") || listenHost.equals("*");
        if (!wildcard) {
            names.add(listenHost);
        }
        boolean loopback = listenHost.startsWith("127.") || listenHost.equals("::1") || listenHost.equals("localhost");
        if (wildcard || loopback) {
            names.add("localhost");
            names.add("127.0.0.1");
            names.add("::1");
        }
        return java.util.List.copyOf(names);
    }

    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.chars().allMatch(c -> c > ' ' && c < 0x7f) ? name : "localhost";
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
