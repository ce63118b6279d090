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

    /**
     * Whether the sink can take records now. A component about to make a decision that must be
     * recorded asks first and, if not, refuses for now (SMTP 451, HTTP 503): fail closed.
     */
    default boolean accepting() {
        return true;
    }
}
