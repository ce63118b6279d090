package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.IncidentAlerts;
import jp.mynaguard.proxy.audit.AuditSettings;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.audit.SyslogForwarder;
import jp.mynaguard.proxy.smtp.Upstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's audit parts: the trail ({@link AuditLog}), its optional syslog copy, and the
 * incident alerts in front of it once the upstream is there. Opened first and closed last, so the
 * policy's first load and everything until the stop are recorded.
 */
final class GatewayAudit {
    private static final Logger log = LoggerFactory.getLogger(GatewayAudit.class);

    private final AuditLog trail;
    private final SyslogForwarder syslog;
    private final AuditSettings settings;
    private volatile IncidentAlerts alerts;

    private GatewayAudit(AuditSettings settings, AuditLog auditLog, SyslogForwarder syslog) {
        this.settings = settings;
        this.trail = auditLog;
        this.syslog = syslog;
    }

    static GatewayAudit open(AuditSettings settings, Path dataDir, String hostname) throws IOException {
        SyslogForwarder syslog = settings.syslog() == null ? null : new SyslogForwarder(settings.syslog(), hostname);
        try {
            AuditLog audit = AuditLog.open(settings, dataDir, Clock.systemUTC(),
                    syslog == null ? java.util.List.of() : java.util.List.of(syslog));
            return new GatewayAudit(settings, audit, syslog);
        } catch (IOException | RuntimeException e) {
            if (syslog != null) {
                syslog.close();
            }
            throw e;
        }
    }

    /** Alerts from now on: mail through {@code upstream} to the active policy's security team, and the webhook. */
    void startAlerts(Upstream upstream, PolicyRuntime policy, String from, String hostname) throws IOException {
        alerts = new IncidentAlerts(trail, settings.alerts(),
                () -> policy.get().policy().organization().securityTeam(), upstream, from, hostname, settings.zone());
    }

    /** What components record into (with incident alerts once they are started). */
    AuditSink sink() {
        IncidentAlerts a = alerts;
        return a != null ? a : trail;
    }

    /** Sends what alerts are queued; before the upstream closes. */
    void closeAlerts() {
        IncidentAlerts a = alerts;
        if (a != null) {
            a.close();
        }
    }

    void close() {
        trail.close();
        if (syslog != null) {
            syslog.close();
        }
        log.debug("audit trail closed");
    }
}
