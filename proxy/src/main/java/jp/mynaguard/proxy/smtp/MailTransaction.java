package jp.mynaguard.proxy.smtp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One mail transaction, MAIL FROM to the final reply: the envelope and the upstream transaction
 * opened for it (before-queue: the upstream hears MAIL and RCPT while the client does).
 */
final class MailTransaction {
    final String referenceId;
    final String mailFrom;
    final Map<String, String> parameters;
    final boolean smtpUtf8;
    final Instant started;
    final List<String> recipients = new ArrayList<>();
    private UpstreamTransaction upstream;

    MailTransaction(String referenceId, String mailFrom, Map<String, String> parameters, boolean smtpUtf8,
                    Instant started) {
        this.referenceId = referenceId;
        this.mailFrom = mailFrom;
        this.parameters = Map.copyOf(parameters);
        this.smtpUtf8 = smtpUtf8;
        this.started = started;
    }

    UpstreamTransaction upstream() {
        return upstream;
    }

    void upstream(UpstreamTransaction t) {
        this.upstream = t;
    }

    /** Hands the upstream transaction over (to the end-of-data processing, which ends it). */
    UpstreamTransaction takeUpstream() {
        UpstreamTransaction t = upstream;
        upstream = null;
        return t;
    }

    /** Abandons the upstream side; idempotent. */
    void abort() {
        UpstreamTransaction t = takeUpstream();
        if (t != null) {
            t.abort();
        }
    }
}
