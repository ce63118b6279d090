package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.net.SocketException;
import java.security.GeneralSecurityException;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import jp.mynaguard.proxy.console.ConsoleConfig;
import jp.mynaguard.proxy.console.ConsoleServer;
import jp.mynaguard.proxy.console.ConsoleSettings;
import jp.mynaguard.proxy.console.PolicyStatus;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.ops.GatewayMetrics;
import jp.mynaguard.proxy.ops.OpsHttpHandler;
import jp.mynaguard.proxy.ops.OpsSettings;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the approval console for the gateway: its TLS context (the admin's PEM files, or a
 * certificate issued from the local CA like the SMTP one, for the names a browser will use), the
 * users file shared with SMTP AUTH, the workflow, the policy status, and mounted in front of it
 * the operations endpoints ({@code /metrics}, {@code /healthz}, {@code /readyz}) with the
 * listener's connection counter.
 */
final class GatewayConsole {
    private static final Logger log = LoggerFactory.getLogger(GatewayConsole.class);

    private GatewayConsole() {
    }

    /**
     * Whether the console serves the ops endpoints alone, so they need no listener of their own: when
     * {@code ops.listen} is the console's address, or left at its default (which means "where the
     * console is", so {@code --console-listen} moves them along).
     */
    static boolean servesOps(GatewayConfig config) {
        ConsoleSettings c = config.console();
        OpsSettings o = config.ops();
        boolean defaultOps = o.listenHost().equals(OpsSettings.DEFAULT_LISTEN_HOST)
                && o.listenPort() == OpsSettings.DEFAULT_LISTEN_PORT;
        return c.enabled() && (defaultOps || c.listenHost().equals(o.listenHost()) && c.listenPort() == o.listenPort());
    }

    /**
     * {@code null} when the console is turned off ({@code console: false}) or its port is taken
     * (logged as an error; the gateway keeps holding mail). A bad certificate is an error to fix.
     */
    static ConsoleServer start(GatewayConfig config, String hostname, SmtpUsers users, HoldWorkflow workflow,
                               PolicyStatus.Source policy, java.time.ZoneId zone, OpsHttpHandler ops,
                               GatewayMetrics metrics, jp.mynaguard.proxy.audit.AuditSink audit)
            throws IOException, GeneralSecurityException, InterruptedException {
        ConsoleSettings s = config.console();
        if (!s.enabled()) {
            return null;
        }
        if (!s.tls() && !s.loopbackOnly()) {
            log.warn("the console on {} speaks plain HTTP beyond loopback (console.https: false): only behind a"
                    + " reverse proxy that terminates TLS", s.listenHost());
        }
        ConsoleConfig.Builder b = ConsoleConfig.builder().settings(s).tls(tls(config, s, hostname))
                .zone(zone);
        ConsoleServer.Builder server = ConsoleServer.builder(b.build()).users(users).workflow(workflow).policy(policy)
                .audit(audit);
        if (servesOps(config)) {
            // The listener=console connection metrics are this listener's (else the ops listener's own).
            ChannelHandler connections = metrics.connectionCounter(GatewayMetrics.Listener.CONSOLE);
            server.mount("connections", () -> connections);
        }
        try {
            return server.mount("ops", () -> ops).start();
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Netty rethrows the bind failure as it is. A taken port stops the console, not the mail:
            // held mail stays held (nothing is delivered unreviewed) and the log says why.
            if (e instanceof SocketException) {
                log.error("the approval console cannot listen on {}:{}: {}; held mail waits until it can (fix"
                        + " console.listen or free the port, then restart)", s.listenHost(), s.listenPort(), e.toString());
                return null;
            }
            throw new IllegalStateException("cannot start the console", e);
        }
    }

    private static SslContext tls(GatewayConfig config, ConsoleSettings s, String hostname)
            throws IOException, GeneralSecurityException {
        if (!s.tls()) {
            return null;
        }
        return SmtpTls.context(new GatewayConfig.TlsSettings(true, s.certificate(), s.key()), config.caDir(),
                Gateway.certificateNames(hostname, s.listenHost()));
    }
}
