package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.AuditSettings;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.audit.SyslogForwarder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's audit parts: the trail ({@link AuditLog}) and its optional syslog copy. Opened
 * first and closed last, so the policy's first load and everything until the stop are recorded.
 */
final class GatewayAudit {
    private static final Logger log = LoggerFactory.getLogger(GatewayAudit.class);

    private final AuditLog log0;
    private final SyslogForwarder syslog;

    private GatewayAudit(AuditLog auditLog, SyslogForwarder syslog) {
        this.log0 = auditLog;
        this.syslog = syslog;
    }

    static GatewayAudit open(AuditSettings settings, Path dataDir, String hostname) throws IOException {
        SyslogForwarder syslog = settings.syslog() == null ? null : new SyslogForwarder(settings.syslog(), hostname);
        try {
            AuditLog audit = AuditLog.open(settings, dataDir, Clock.systemUTC(),
                    syslog == null ? java.util.List.of() : java.util.List.of(syslog));
            return new GatewayAudit(audit, syslog);
        } catch (IOException | RuntimeException e) {
            if (syslog != null) {
                syslog.close();
            }
            throw e;
        }
    }

    /** What components record into. */
    AuditSink sink() {
        return log0;
    }

    void close() {
        log0.close();
        if (syslog != null) {
            syslog.close();
        }
        log.debug("audit trail closed");
    }
}
