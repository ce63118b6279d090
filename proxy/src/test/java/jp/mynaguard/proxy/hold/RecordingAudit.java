package jp.mynaguard.proxy.hold;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;

/** Keeps the audit events (the audit log itself is issue 7's). */
final class RecordingAudit implements AuditSink {
    final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    List<AuditEvent> withAction(String action) {
        synchronized (events) {
            return events.stream().filter(e -> action.equals(e.fields().get("action"))).toList();
        }
    }
}
