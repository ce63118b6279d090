package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

import jp.mynaguard.policy.rules.Diagnostic;
import jp.mynaguard.policy.rules.PolicyLoadException;
import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.GatewayConfigLoader;
import jp.mynaguard.proxy.gateway.UpstreamSettings;
import jp.mynaguard.proxy.ops.LogSettings;
import jp.mynaguard.proxy.ops.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mynaguard serve}: runs the gateway until it is stopped (Ctrl+C, SIGTERM). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the gateway: SMTP for mail clients and an HTTP proxy for browsers, inspection and the",
            "policy, relay to the upstream.",
            "Without --config it uses the embedded defaults: SMTP on 127.0.0.1:2525, the HTTP proxy on",
            "127.0.0.1:3128, policy",
            "examples/policy.yaml, data under ./data, allowed mail delivered to ./data/outbox.",
            "The flags override the config file. The policy reloads when its files change and on SIGHUP.",
            "Metrics and health: http://127.0.0.1:8025/metrics, /healthz, /readyz (ops.listen in the config).",
            "",
            "Exit status: 0 = stopped; 1 = could not start (invalid policy or config, port in use)."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "gateway.yaml (see examples/gateway.yaml).")
    Path configFile;

    @Option(names = "--smtp-listen", paramLabel = "HOST:PORT", description = "SMTP listen address (default 127.0.0.1:2525).")
    String smtpListen;

    @Option(names = "--console-listen", paramLabel = "HOST:PORT",
            description = "Approval console listen address (default 127.0.0.1:8025; HTTPS beyond loopback).")
    String consoleListen;

    @Option(names = "--upstream", paramLabel = "HOST:PORT|outbox",
            description = "Smarthost for allowed mail, or 'outbox' for DATA/outbox (default).")
    String upstream;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (default examples/policy.yaml).")
    Path policy;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data).")
    Path data;

    @Option(names = "--ca-dir", paramLabel = "DIR",
            description = "The CA made by 'mynaguard ca init' (default DATA/ca; created there on first start if missing).")
    Path caDir;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "Log lines for people (text, default) or one JSON object per line (json).")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info (default), debug or trace.")
    String logLevel;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT",
            description = "HTTP/HTTPS proxy listen address (default 127.0.0.1:3128).")
    String httpListen;

    @Option(names = "--allow-private-destinations",
            description = "Let the proxy reach origins in private and loopback networks (labs and tests only).")
    boolean allowPrivateDestinations;

    @Option(names = "--upstream-trust", paramLabel = "FILE",
            description = "PEM bundle of CAs trusted for HTTPS origins, besides the JDK's.")
    Path upstreamTrust;

    /** Replaced by tests. */
    GatewayComponents.Factory components = GatewayComponents.DEFAULT;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        GatewayConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException | IOException e) {
            err.println("mynaguard serve: " + e.getMessage());
            return 1;
        }
        try {
            LogSetup.apply(config.ops().logging());
        } catch (IllegalStateException e) {
            err.println("mynaguard serve: " + e.getMessage());
            return 1;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config, components);
        } catch (PolicyLoadException e) {
            for (Diagnostic d : e.result().errors()) {
                err.println(d);
            }
            err.println("mynaguard serve: the policy " + config.policyFile() + " is invalid; run 'mynaguard policy check'");
            return 1;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            err.println("mynaguard serve: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "mynaguard-shutdown"));
        out.println("Mynaguard is running.");
        out.println("  SMTP:     " + gateway.smtpAddress().getAddress().getHostAddress() + ":" + gateway.smtpAddress().getPort()
                + (gateway.tls() ? " (STARTTLS" + (config.tls().certificate() == null
                        ? "; trust " + jp.mynaguard.certs.CaFiles.certificatePem(config.caDir()) : "") + ")" : ""));
        if (gateway.httpAddress() != null) {
            out.println("  HTTP:     " + gateway.httpAddress().getAddress().getHostAddress() + ":"
                    + gateway.httpAddress().getPort() + " (proxy)");
        }
        out.println("  Upstream: " + (config.upstream().outbox() ? "outbox " + config.dataDir().resolve("outbox")
                : config.upstream().toString()));
        if (gateway.consoleUrl() != null) {
            out.println("  Console:  " + gateway.consoleUrl());
        }
        out.println("  Policy:   " + config.policyFile() + " (version " + gateway.policyVersion() + ")");
        out.println("  Data:     " + config.dataDir());
        java.net.InetSocketAddress ops = gateway.opsAddress();
        if (ops != null) {
            String host = ops.getAddress().getHostAddress();
            out.println("  Metrics:  http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ops.getPort()
                    + "/metrics (also /healthz, /readyz)");
        } else if (gateway.consoleUrl() != null) {
            out.println("  Metrics:  " + gateway.consoleUrl() + "/metrics (also /healthz, /readyz)");
        }
        out.println("Stop with Ctrl+C.");
        out.flush();
        gateway.awaitStop();
        return 0;
    }

    GatewayConfig config() throws IOException {
        GatewayConfig.Builder b = GatewayConfig.builder();
        if (configFile != null) {
            GatewayConfigLoader.load(configFile, b);
        }
        if (smtpListen != null) {
            b.smtpListen(smtpListen);
        }
        if (consoleListen != null) {
            b.consoleListen(consoleListen);
        }
        if (upstream != null) {
            b.upstream(UpstreamSettings.parse(upstream));
        }
        if (policy != null) {
            b.policyFile(policy);
        }
        if (data != null) {
            b.dataDir(data);
        }
        if (caDir != null) {
            b.caDir(caDir);
        }
        if (logFormat != null || logLevel != null) {
            LogSettings l = b.ops().logging();
            l = logFormat == null ? l : l.withFormat(LogSettings.Format.parse(logFormat));
            l = logLevel == null ? l : l.withLevel(LogSettings.Level.parse(logLevel));
            b.ops(b.ops().withLogging(l));
        }
        if (httpListen != null) {
            b.http(b.http().withListen(httpListen));
        }
        if (allowPrivateDestinations) {
            b.http(b.http().withAllowPrivateDestinations(true));
        }
        if (upstreamTrust != null) {
            b.http(b.http().withUpstreamTrust(upstreamTrust));
        }
        return b.build();
    }
}
