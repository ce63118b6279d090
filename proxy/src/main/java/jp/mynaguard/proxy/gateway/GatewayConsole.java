package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import io.netty.handler.ssl.SslContext;
import jp.mynaguard.proxy.console.ConsoleConfig;
import jp.mynaguard.proxy.console.ConsoleServer;
import jp.mynaguard.proxy.console.ConsoleSettings;
import jp.mynaguard.proxy.console.PolicyStatus;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the approval console for the gateway: its TLS context (the admin's PEM files, or a
 * certificate issued from the local CA like the SMTP one, for the names a browser will use), the
 * users file shared with SMTP AUTH, the workflow and the policy status.
 */
final class GatewayConsole {
    private static final Logger log = LoggerFactory.getLogger(GatewayConsole.class);

    private GatewayConsole() {
    }

    /** {@code null} when the console is turned off or there is no workflow to serve. */
    static ConsoleServer start(GatewayConfig config, String hostname, SmtpUsers users, HoldWorkflow workflow,
                               PolicyStatus.Source policy)
            throws IOException, GeneralSecurityException, InterruptedException {
        ConsoleSettings s = config.console();
        if (!s.enabled()) {
            return null;
        }
        if (workflow == null) {
            log.warn("the approval console is not started: this build has no approval workflow");
            return null;
        }
        if (!s.tls() && !s.loopbackOnly()) {
            log.warn("the console on {} speaks plain HTTP beyond loopback (console.https: false): only behind a"
                    + " reverse proxy that terminates TLS", s.listenHost());
        }
        ConsoleConfig.Builder b = ConsoleConfig.builder().settings(s).tls(tls(s, config.dataDir(), hostname));
        return ConsoleServer.builder(b.build()).users(users).workflow(workflow).policy(policy).start();
    }

    private static SslContext tls(ConsoleSettings s, Path dataDir, String hostname)
            throws IOException, GeneralSecurityException {
        if (!s.tls()) {
            return null;
        }
        return SmtpTls.context(new GatewayConfig.TlsSettings(true, s.certificate(), s.key()), dataDir,
                Gateway.certificateNames(hostname, s.listenHost()));
    }
}
