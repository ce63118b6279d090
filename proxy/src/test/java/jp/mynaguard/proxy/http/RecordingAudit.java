package jp.mynaguard.proxy.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;

/** Keeps audit events for assertions; {@link #await} for those written when a connection closes. */
final class RecordingAudit implements AuditSink {
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    AuditEvent await(Predicate<AuditEvent> which) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            for (AuditEvent e : events) {
                if (which.test(e)) {
                    return e;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such audit event within 10 s; have " + events);
    }

    static Predicate<AuditEvent> action(String action) {
        return e -> AuditEvent.TUNNEL.equals(e.type()) && action.equals(e.fields().get("action"));
    }
}
