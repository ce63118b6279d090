package jp.mynaguard.proxy.audit;

/**
 * Where components report what happened. The audit log implements it; {@link #NONE} is for tests
 * and tools that keep no trail. {@link #record} must not throw for a full disk or a broken
 * syslog link: those are the sink's own problem to report.
 */
@FunctionalInterface
public interface AuditSink {
    AuditSink NONE = event -> { };

    void record(AuditEvent event);
}
