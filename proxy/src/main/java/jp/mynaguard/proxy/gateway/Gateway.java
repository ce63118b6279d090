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
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.console.ConsoleServer;
import jp.mynaguard.proxy.hold.ApprovalWorkflow;
import jp.mynaguard.proxy.hold.HoldScheduler;
import jp.mynaguard.proxy.hold.HoldSettings;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.ops.GatewayMetrics;
import jp.mynaguard.proxy.ops.OpsHttpHandler;
import jp.mynaguard.proxy.ops.OpsLimits;
import jp.mynaguard.proxy.ops.Readiness;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.hold.MailNotifier;
import jp.mynaguard.proxy.http.HttpProxyConfig;
import jp.mynaguard.proxy.http.DestinationGuard;
import jp.mynaguard.proxy.http.HttpProxyServer;
import jp.mynaguard.proxy.http.TunnelOpener;
import jp.mynaguard.proxy.smtp.SmtpServer;
import jp.mynaguard.proxy.smtp.SmtpServerConfig;
import jp.mynaguard.proxy.smtp.SmtpUsers;
import jp.mynaguard.proxy.smtp.Upstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: policy (with hot reload and SIGHUP), upstream, hold store, SMTP server and
 * the hold workflow's scheduler, started in that order and stopped in reverse. {@link #close()}
 * is the graceful stop. {@link #workflow()} is what the console works with.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final GatewayAudit audit;
    private final PolicyRuntime policy;
    private final Upstream upstream;
    private final HoldStore holds;
    private final SmtpServer smtp;
    private final ApprovalWorkflow workflow;
    private final HoldScheduler scheduler;
    private final HttpProxyServer http;
    /** Parts made inside other components' builders that still need stopping (the CONNECT tunnel workers). */
    private final java.util.List<AutoCloseable> closeOnStop;
    private final boolean tls;
    private final GatewayMetrics metrics;
    private final GatewayOps ops;
    private final ConsoleServer console;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private Gateway(GatewayConfig config, GatewayAudit audit, PolicyRuntime policy, Upstream upstream, HoldStore holds,
                    SmtpServer smtp, ApprovalWorkflow workflow, HoldScheduler scheduler, HttpProxyServer http,
                    boolean tls, GatewayMetrics metrics, GatewayOps ops, ConsoleServer console,
                    java.util.List<AutoCloseable> closeOnStop) {
        this.closeOnStop = closeOnStop;
        this.config = config;
        this.audit = audit;
        this.policy = policy;
        this.upstream = upstream;
        this.holds = holds;
        this.smtp = smtp;
        this.workflow = workflow;
        this.scheduler = scheduler;
        this.http = http;
        this.tls = tls;
        this.metrics = metrics;
        this.ops = ops;
        this.console = console;
    }

    /**
     * Starts everything; on failure, whatever was started is stopped again.
     *
     * @throws PolicyLoadException when the policy is invalid (nothing else is started)
     */
    public static Gateway start(GatewayConfig config, GatewayComponents.Factory components)
            throws IOException, GeneralSecurityException, PolicyLoadException, InterruptedException {
        String hostname = config.hostname() != null ? config.hostname() : localHostName();
        GatewayMetrics metrics = GatewayMetrics.withJvmMetrics();
        GatewayAudit audit;
        try {
            audit = GatewayAudit.open(config.audit(), config.dataDir(), hostname);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
        PolicyRuntime policy;
        try {
            policy = PolicyRuntime.start(config.policyFile(), metrics, audit.sink());
        } catch (PolicyLoadException | RuntimeException e) {
            metrics.close();
            audit.close();
            throw e;
        }
        Upstream upstream = null;
        HoldStore holds = null;
        GatewayOps ops = null;
        HoldScheduler scheduler = null;
        try {
            Path data = config.dataDir();
            Files.createDirectories(data);
            Path spool = privateDirectory(data.resolve("spool"));
            removeLeftoverSpoolFiles(spool);
            SslContext tls = SmtpTls.context(config.tls(), config.caDir(), certificateNames(hostname, config.smtpListenHost()));
            upstream = components.upstream(config.upstream(), data, hostname);
            holds = components.holdStore(config.hold(), data);
            metrics.holdStore(holds);
            UpstreamHealth upstreamHealth = new UpstreamHealth(upstream, metrics, OpsLimits.UPSTREAM_FRESH);
            upstream.observe(upstreamHealth);
            SmtpUsers users = SmtpUsers.open(config.usersFile());
            SmtpServerConfig.Builder b = SmtpServerConfig.builder()
                    .listen(new InetSocketAddress(config.smtpListenHost(), config.smtpListenPort()))
                    .hostname(hostname)
                    .users(users)
                    .tls(tls)
                    .spoolDirectory(spool);
            config.applySmtpSettings(b);
            SmtpServerConfig smtpConfig = b.build();
            audit.startAlerts(upstream, policy, smtpConfig.noticeFrom(), hostname);
            HoldSettings hold = config.hold().toBuilder().hostname(hostname).noticeFrom(smtpConfig.noticeFrom())
                    .zone(policy.get().policy().zone()).spoolDirectory(spool).build();
            java.util.function.Supplier<java.util.List<String>> admins =
                    () -> policy.get().policy().organization().securityTeam();
            MailNotifier notifier = new MailNotifier(upstream, hold, java.time.Clock.systemUTC());
            ApprovalWorkflow workflow = new ApprovalWorkflow(holds, hold, notifier, audit.sink(),
                    java.time.Clock.systemUTC(), admins);
            scheduler = new HoldScheduler(holds, upstream, hold, notifier, audit.sink(), java.time.Clock.systemUTC(),
                    admins, null);
            SmtpServer smtp = SmtpServer.builder(smtpConfig).upstream(upstream).holdStore(holds).holdEvents(workflow)
                    .policy(policy).metrics(metrics).audit(audit.sink()).start();
            scheduler.start(workflow);
            java.util.List<AutoCloseable> closeOnStop = new java.util.concurrent.CopyOnWriteArrayList<>();
            HttpProxyServer http;
            try {
                http = startHttp(config, spool, holds, policy, hostname, audit.sink(), metrics, closeOnStop);
            } catch (IOException | GeneralSecurityException | InterruptedException | RuntimeException e) {
                smtp.stop(java.time.Duration.ZERO);
                throw e;
            }
            // The console serves /metrics, /healthz and /readyz on its address; an ops.listen set
            // elsewhere (or no console) gets a listener of its own.
            ops = GatewayOps.start(config.ops(), metrics, policy, holds, upstreamHealth,
                    !GatewayConsole.servesOps(config));
            ConsoleServer console;
            try {
                console = GatewayConsole.start(config, hostname, users, workflow, new ConsolePolicyStatus(policy),
                        hold.zone(), ops.handler(), metrics, audit.sink());
            } catch (IOException | GeneralSecurityException | InterruptedException | RuntimeException e) {
                if (http != null) {
                    http.close();
                }
                smtp.stop(java.time.Duration.ZERO);
                throw e;
            }
            Gateway g = new Gateway(config, audit, policy, upstream, holds, smtp, workflow, scheduler, http,
                    tls != null, metrics, ops, console, closeOnStop);
            SignalReload.install(policy::reload);
            return g;
        } catch (IOException | GeneralSecurityException | InterruptedException | RuntimeException e) {
            if (ops != null) {
                ops.close();
            }
            if (scheduler != null) {
                scheduler.close();
            }
            audit.closeAlerts();
            closeQuietly(upstream, holds, policy);
            metrics.close();
            audit.close();
            throw e;
        }
    }

    /** The HTTP proxy, unless {@code http: {enabled: false}}; same users file as SMTP AUTH. */
    private static HttpProxyServer startHttp(GatewayConfig config, Path spool, HoldStore holds, PolicyRuntime policy,
                                             String hostname, AuditSink audit, GatewayMetrics metrics,
                                             java.util.List<AutoCloseable> closeOnStop)
            throws IOException, GeneralSecurityException, InterruptedException {
        if (!config.http().enabled()) {
            return null;
        }
        HttpProxyConfig.Builder hb = HttpProxyConfig.builder()
                .users(SmtpUsers.open(config.usersFile()))
                .spoolDirectory(spool);
        // CONNECT: tunnels intercepted with leaves from the same local CA as STARTTLS (the one clients
        // install from docs/ca-install.md), decrypted traffic handed back to the proxy's inspection.
        jp.mynaguard.certs.LeafCertificateCache leaves =
                jp.mynaguard.certs.LeafCertificateCache.forAuthority(LocalCa.loadOrCreate(config.caDir(), hostname));
        DestinationGuard guard = new DestinationGuard(config.http().allowPrivateDestinations());
        return HttpProxyServer.builder(config.http().applyTo(hb).build()).policy(policy).holdStore(holds).audit(audit)
                .metrics(metrics)
                .tunnels(exchange -> {
                    TunnelOpener opener = TunnelOpener.builder().settings(config.tunnels()).guard(guard)
                            .certificates(leaves).exchange(exchange).audit(audit).build();
                    closeOnStop.add(opener);
                    return opener;
                })
                .start();
    }

    /** The HTTP proxy's bound address, or {@code null} when it is not running. */
    public InetSocketAddress httpAddress() {
        return http == null ? null : http.localAddress();
    }

    /**
     * Where components record what they do (decisions, console actions, releases, tunnels): the
     * audit trail, with incident alerts on the way. Ask {@link AuditSink#accepting()} before a
     * decision that must be recorded.
     */
    public AuditSink audit() {
        return audit.sink();
    }

    /** The SMTP listener's bound address. */
    public InetSocketAddress smtpAddress() {
        return smtp.localAddress();
    }

    public boolean tls() {
        return tls;
    }

    public GatewayConfig config() {
        return config;
    }

    /**
     * Where every metric is recorded: the HTTP proxy, the hold workflow and the console call its
     * typed methods (decided, inspected, released, tlsHandshakeFailed, connectionCounter, ...).
     */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * {@code /metrics}, {@code /healthz}, {@code /readyz} for the console server's pipeline:
     * sharable, after HttpServerCodec and HttpObjectAggregator, before the console's routes.
     */
    public OpsHttpHandler opsHandler() {
        return ops.handler();
    }

    /** The readiness checks behind {@code /readyz} (policy, hold store, upstream). */
    public Readiness readiness() {
        return ops.readiness();
    }

    /** Where the interim ops listener is bound, or {@code null} when it is not running. */
    public InetSocketAddress opsAddress() {
        return ops.address();
    }

    /** The hold workflow (approve, reject, cancel, reveal, views) for the console and its API. */
    public HoldWorkflow workflow() {
        return workflow;
    }

    /** The console's URL ({@code http://127.0.0.1:8025}), or {@code null} when it is not running. */
    public String consoleUrl() {
        return console == null ? null : console.url();
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
            ops.close();
            if (http != null) {
                http.close();
            }
            for (AutoCloseable c : closeOnStop) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("stopping {}", c, e);
                }
            }
            smtp.close();
            scheduler.close();
        } finally {
            audit.closeAlerts();
            closeQuietly(upstream, holds, policy);
            metrics.close();
            audit.close();
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
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spool, "mynaguard-{smtp,http}-*.eml")) {
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
