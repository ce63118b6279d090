package jp.mynaguard.proxy.gateway;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import jp.mynaguard.proxy.console.ConsoleSettings;
import jp.mynaguard.proxy.ops.OpsSettings;
import jp.mynaguard.proxy.hold.HoldSettings;
import jp.mynaguard.proxy.audit.AuditSettings;
import jp.mynaguard.proxy.smtp.SmtpServerConfig;

/**
 * What {@code mynaguard serve} runs with: the embedded defaults, overridden by
 * {@code gateway.yaml} ({@link GatewayConfigLoader}), overridden by command-line flags.
 * Immutable; {@link #toBuilder()} for the next layer.
 */
public final class GatewayConfig {
    /** SMTP on loopback: a fresh install is not an open relay. */
    public static final String DEFAULT_SMTP_LISTEN = "127.0.0.1:2525";
    public static final Path DEFAULT_POLICY = Paths.get("examples", "policy.yaml");
    public static final Path DEFAULT_DATA = Paths.get("data");

    /**
     * The STARTTLS certificate: the admin's PEM files, or (when both are {@code null}) one issued at
     * start from the local CA kept under the data directory.
     */
    public record TlsSettings(boolean enabled, Path certificate, Path key) {
        public static final TlsSettings AUTO = new TlsSettings(true, null, null);

        public TlsSettings {
            if ((certificate == null) != (key == null)) {
                throw new IllegalArgumentException("smtp.tls needs both certificate and key, or neither");
            }
        }
    }

    private final Path dataDir;
    private final Path policyFile;
    private final HostPort smtpListen;
    private final UpstreamSettings upstream;
    private final String hostname;
    private final TlsSettings tls;
    private final Path usersFile;
    private final Path caDir;
    private final jp.mynaguard.proxy.http.TunnelSettings tunnels;
    private final List<Consumer<SmtpServerConfig.Builder>> smtpSettings;
    private final ConsoleSettings console;
    private final OpsSettings ops;
    private final HoldSettings hold;
    private final HttpProxySettings http;
    private final AuditSettings audit;

    private GatewayConfig(Builder b) {
        this.dataDir = b.dataDir;
        this.policyFile = b.policyFile;
        this.smtpListen = b.smtpListen;
        this.upstream = b.upstream;
        this.hostname = b.hostname;
        this.tls = b.tls;
        this.usersFile = b.usersFile;
        this.caDir = b.caDir;
        this.tunnels = b.tunnels;
        this.smtpSettings = List.copyOf(b.smtpSettings);
        this.console = b.console;
        this.ops = b.ops;
        this.hold = b.hold;
        this.http = b.http;
        this.audit = b.audit;
    }

    public static GatewayConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = dataDir;
        b.policyFile = policyFile;
        b.smtpListen = smtpListen;
        b.upstream = upstream;
        b.hostname = hostname;
        b.tls = tls;
        b.usersFile = usersFile;
        b.caDir = caDir;
        b.tunnels = tunnels;
        b.smtpSettings.addAll(smtpSettings);
        b.console = console;
        b.ops = ops;
        b.hold = hold;
        b.http = http;
        b.audit = audit;
        return b;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path policyFile() {
        return policyFile;
    }

    public String smtpListenHost() {
        return smtpListen.host();
    }

    public int smtpListenPort() {
        return smtpListen.port();
    }

    public UpstreamSettings upstream() {
        return upstream;
    }

    /** Our name in greetings and Received:; {@code null} = the machine's name. */
    public String hostname() {
        return hostname;
    }

    public TlsSettings tls() {
        return tls;
    }

    /** The SMTP users file: as configured, else {@code DATA/smtp-users}. */
    public Path usersFile() {
        return usersFile != null ? usersFile : dataDir.resolve("smtp-users");
    }

    /** The CA directory ({@code mynaguard ca init}): as configured, else {@code DATA/ca}. */
    public Path caDir() {
        return caDir != null ? caDir : dataDir.resolve("ca");
    }

    /** The HTTP proxy's CONNECT tunnel settings ({@code tunnels:} in gateway.yaml). */
    public jp.mynaguard.proxy.http.TunnelSettings tunnels() {
        return tunnels;
    }

    /** Metrics/health listener and logging ({@code ops:}, {@code logging:}). */
    public OpsSettings ops() {
        return ops;
    }

    /** The workflow, release, retention and hold store settings ({@code hold:}). */
    public HoldSettings hold() {
        return hold;
    }

    /** The {@code audit:} settings (trail directory, checkpoints, rotation, syslog, alerts). */
    public AuditSettings audit() {
        return audit;
    }

    /** Applies the {@code smtp:} settings of gateway.yaml (limits, line-end policies, networks). */
    public void applySmtpSettings(SmtpServerConfig.Builder b) {
        smtpSettings.forEach(s -> s.accept(b));
    }

    /** The approval console's listener, TLS, second factor and sessions (gateway.yaml {@code console:}). */
    public ConsoleSettings console() {
        return console;
    }

    /** The HTTP proxy's settings ({@code http:} in gateway.yaml, {@code --http-listen} and friends). */
    public HttpProxySettings http() {
        return http;
    }

    @Override
    public String toString() {
        return "smtp " + HostPort.format(smtpListen.host(), smtpListen.port()) + ", upstream " + upstream
                + ", policy " + policyFile + ", data " + dataDir;
    }

    public static final class Builder {
        private Path dataDir = DEFAULT_DATA;
        private Path policyFile = DEFAULT_POLICY;
        private HostPort smtpListen = HostPort.parse(DEFAULT_SMTP_LISTEN, 2525);
        private UpstreamSettings upstream = UpstreamSettings.OUTBOX;
        private String hostname;
        private TlsSettings tls = TlsSettings.AUTO;
        private Path usersFile;
        private Path caDir;
        private jp.mynaguard.proxy.http.TunnelSettings tunnels = jp.mynaguard.proxy.http.TunnelSettings.DEFAULTS;
        private final List<Consumer<SmtpServerConfig.Builder>> smtpSettings = new ArrayList<>();
        private ConsoleSettings console = ConsoleSettings.DEFAULTS;
        private OpsSettings ops = OpsSettings.DEFAULTS;
        private HoldSettings hold = HoldSettings.defaults();
        private HttpProxySettings http = HttpProxySettings.DEFAULTS;
        private AuditSettings audit = AuditSettings.DEFAULTS;

        private Builder() {
        }

        /** The ops settings so far (the loader and the flags change one part at a time). */
        public OpsSettings ops() {
            return ops;
        }

        public Builder ops(OpsSettings settings) {
            this.ops = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Where /metrics, /healthz and /readyz are served, {@code HOST:PORT} (port 0: any free port). */
        public Builder opsListen(String spec) {
            HostPort hp = HostPort.parse(spec, OpsSettings.DEFAULT_LISTEN_PORT);
            this.ops = ops.withListen(hp.host(), hp.port());
            return this;
        }

        public Builder http(HttpProxySettings settings) {
            this.http = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public HttpProxySettings http() {
            return http;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public Builder policyFile(Path file) {
            this.policyFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** {@code HOST:PORT}, e.g. {@code 0.0.0.0:587}. */
        public Builder smtpListen(String spec) {
            this.smtpListen = HostPort.parse(spec, 2525);
            return this;
        }

        public Builder upstream(UpstreamSettings u) {
            this.upstream = Objects.requireNonNull(u, "upstream");
            return this;
        }

        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        public Builder tls(TlsSettings t) {
            this.tls = Objects.requireNonNull(t, "tls");
            return this;
        }

        public Builder usersFile(Path file) {
            this.usersFile = file;
            return this;
        }

        /** The CA directory; {@code null} = {@code DATA/ca}. */
        public Builder caDir(Path dir) {
            this.caDir = dir;
            return this;
        }

        public Builder tunnels(jp.mynaguard.proxy.http.TunnelSettings t) {
            this.tunnels = Objects.requireNonNull(t, "tunnels");
            return this;
        }

        /** A validated SMTP setting from gateway.yaml, applied when the server config is built. */
        public Builder smtpSetting(Consumer<SmtpServerConfig.Builder> setting) {
            this.smtpSettings.add(Objects.requireNonNull(setting, "setting"));
            return this;
        }

        public Builder console(ConsoleSettings c) {
            this.console = Objects.requireNonNull(c, "console");
            return this;
        }

        /** {@code HOST:PORT} of the console, e.g. {@code 0.0.0.0:8443} (HTTPS beyond loopback). */
        public Builder consoleListen(String spec) {
            HostPort hp = HostPort.parse(spec, jp.mynaguard.proxy.console.ConsoleLimits.DEFAULT_PORT);
            this.console = console.withListen(hp.host(), hp.port());
            return this;
        }

        public ConsoleSettings console() {
            return console;
        }

        public Builder hold(HoldSettings h) {
            this.hold = Objects.requireNonNull(h, "hold");
            return this;
        }

        public Builder audit(AuditSettings a) {
            this.audit = Objects.requireNonNull(a, "audit");
            return this;
        }

        public GatewayConfig build() {
            return new GatewayConfig(this);
        }
    }
}
