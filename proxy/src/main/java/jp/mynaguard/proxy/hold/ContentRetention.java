package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: once an item has been in a final state for {@link HoldSettings#retention()}, its
 * content is destroyed by deleting its data key (crypto-shredding: the ciphertext can never be
 * read again, also not from a backup of the database) and then the ciphertext itself. The
 * metadata (who, which rule, counts, decisions; no digits) stays for the audit period.
 */
public final class ContentRetention {
    private static final Logger LOG = LoggerFactory.getLogger(ContentRetention.class);

    private final HoldStore store;
    private final WorkflowAudit audit;
    private final int batch;

    ContentRetention(HoldStore store, WorkflowAudit audit, int batch) {
        this.store = store;
        this.audit = audit;
        this.batch = batch;
    }

    /** For {@code mynaguard hold purge}: the same as the scheduler does, without an audit sink of its own. */
    public static ContentRetention of(HoldStore store, jp.mynaguard.proxy.audit.AuditSink audit) {
        return new ContentRetention(store, new WorkflowAudit(audit), HoldSettings.DEFAULT_BATCH);
    }

    /**
     * Destroys the content of every item that reached a final state before {@code now - retention}.
     *
     * @param actor who purges ("system" for the scheduler, the operator for the command)
     * @return how many items' content was destroyed
     */
    public int purge(Instant now, java.time.Duration retention, String actor) throws IOException {
        Instant cutoff = now.minus(retention);
        int total = 0;
        while (true) {
            int n = 0;
            for (StoredItem s : store.due(ItemQuery.Due.PURGE, cutoff, batch)) {
                if (store.destroyContent(s.referenceId(), actor, now)) {
                    audit.system("purge", s, s.state(), now, "content destroyed after " + retention);
                    n++;
                }
            }
            total += n;
            if (n < batch) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("retention: destroyed the content of {} item(s) final before {}", total, cutoff);
        }
        return total;
    }
}
