package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.smtp.Relay;
import jp.mynaguard.proxy.smtp.RelayResult;
import jp.mynaguard.proxy.smtp.Upstream;

/**
 * Sends approved items: claim (APPROVED → RELEASING, owned by this instance until its lease runs
 * out) → relay the exact stored bytes to the exact stored recipients through the upstream →
 * RELEASED. A temporary failure (4xx, unreachable) goes back to APPROVED with the next attempt
 * after an exponential backoff and only the recipients still open; after
 * {@link HoldSettings#releaseRetryFor()} or on a permanent 5xx the sender gets a bounce (RFC 3464)
 * and the item ends RELEASED (someone got it) or REJECTED with action {@code bounced} (nobody did).
 *
 * <p>Exactly once: the claim is a compare-and-set, so double clicks and several instances never
 * release an item twice; a crashed owner's claim is taken over when its lease has run out. The
 * one window left is SMTP's own: if an instance dies after the smarthost accepted the message
 * but before RELEASED is committed (milliseconds), the next owner sends it again, with the same
 * bytes and Message-ID, which lets the receiving side recognise the duplicate.
 */
final class ReleaseWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWorker.class);

    private final HoldStore store;
    private final Upstream upstream;
    private final HoldSettings settings;
    private final HoldNotifier notifier;
    private final WorkflowAudit audit;
    private final String owner;

    ReleaseWorker(HoldStore store, Upstream upstream, HoldSettings settings, HoldNotifier notifier, WorkflowAudit audit,
                  String owner) {
        this.store = store;
        this.upstream = upstream;
        this.settings = settings;
        this.notifier = notifier;
        this.audit = audit;
        this.owner = owner;
    }

    /** Claims due releases and sends them in parallel; returns how many were finished (either way). */
    int runOnce(Instant now) throws IOException {
        List<StoredItem> claimed = store.claimReleases(owner, now, now.plus(settings.releaseLease()),
                settings.releasesPerTick());
        Map<StoredItem, Attempt> attempts = new LinkedHashMap<>();
        for (StoredItem s : claimed) {
            attempts.put(s, start(s, now));
        }
        int finished = 0;
        long deadline = System.nanoTime() + settings.relayTimeout().toNanos();
        for (Map.Entry<StoredItem, Attempt> e : attempts.entrySet()) {
            Attempt a = e.getValue();
            try {
                RelayResult r = a.result == null ? null
                        : a.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                finish(e.getKey(), r, a.failure, a.headers, now);
                finished++;
            } catch (TimeoutException t) {
                // Still talking to the smarthost: it stays claimed and is finished when the attempt ends.
                LOG.warn("ref {}: release still running after {}; it is finished when the attempt ends",
                        e.getKey().referenceId(), settings.relayTimeout());
                StoredItem s = e.getKey();
                a.result.whenCompleteAsync((r, x) -> {
                    try {
                        finish(s, r, x == null ? null : x.toString(), a.headers, now);
                    } catch (IOException | RuntimeException late) {
                        LOG.error("ref {}: cannot record the late end of a release: {}", s.referenceId(), late.toString());
                    } finally {
                        a.close();
                    }
                });
                continue;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return finished;
            } catch (ExecutionException x) {
                finish(e.getKey(), null, String.valueOf(x.getCause()), a.headers, now);
                finished++;
            }
            a.close();
        }
        return finished;
    }

    /** One relay attempt under way: its content (closed after), its future, or why it could not start. */
    private static final class Attempt {
        InputSource content;
        Path spoolFile;
        CompletableFuture<RelayResult> result;
        String failure;
        String headers = "";

        /** Deletes the plaintext copy (a spool file holds content in clear). */
        synchronized void close() {
            content = null;
            if (spoolFile != null) {
                try {
                    Files.deleteIfExists(spoolFile);
                } catch (IOException e) {
                    LOG.warn("could not delete a spooled release copy {}: {}", spoolFile, e.toString());
                }
                spoolFile = null;
            }
        }
    }

    private Attempt start(StoredItem s, Instant now) {
        Attempt a = new Attempt();
        if (s.approvedBinding() == null || !s.approvedBinding().equals(s.binding())) {
            a.failure = "binding";
            return a;
        }
        try {
            verifiedCopy(s.referenceId(), a);
            a.headers = headers(a.content);
            a.result = Relay.send(upstream, s.item().sender(), s.recipientsToRelease(), a.content);
        } catch (IOException | RuntimeException e) {
            a.failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            a.close();
        }
        return a;
    }

    /**
     * The stored content decrypted in full (and so checked against its hash) before a byte of it
     * goes out: in memory when small, else in a private spool file deleted after the attempt.
     */
    private void verifiedCopy(String ref, Attempt a) throws IOException {
        try (InputStream in = store.openContent(ref)) {
            byte[] head = in.readNBytes(HoldLimits.RELEASE_SPOOL_THRESHOLD + 1);
            if (head.length <= HoldLimits.RELEASE_SPOOL_THRESHOLD) {
                a.content = InputSource.of(head);
                return;
            }
            Path dir = settings.spoolDirectory();
            a.spoolFile = dir == null ? Files.createTempFile("mynaguard-release-", ".eml")
                    : Files.createTempFile(dir, "mynaguard-release-", ".eml");
            try (OutputStream out = Files.newOutputStream(a.spoolFile)) {
                out.write(head);
                in.transferTo(out);
            }
            a.content = InputSource.ofFile(a.spoolFile);
        }
    }

    /** Finishes a claimed attempt with a compare-and-set on the claim; a lost lease is reported, not overwritten. */
    private void finish(StoredItem s, RelayResult r, String failure, String headers, Instant started) throws IOException {
        Instant now = started;
        if ("binding".equals(failure)) {
            end(s, HoldState.REJECTED, "binding-mismatch", "the stored item no longer matches what was approved",
                    List.of(), 0, now, headers);
            return;
        }
        ReleaseOutcome o = ReleaseOutcome.of(s.recipientsToRelease(), r, failure);
        Instant deadline = s.releaseDeadline() != null ? s.releaseDeadline() : started.plus(settings.releaseRetryFor());
        int delivered = s.deliveredCount() + o.delivered.size();
        if (!o.deferred.isEmpty() && now.isBefore(deadline)) {
            int attempts = s.attempts() + 1;
            Instant next = now.plus(settings.retryDelay(attempts));
            next = next.isAfter(deadline) ? deadline : next;
            Optional<StoredItem> done = store.apply(StateChange.of(s, HoldState.APPROVED, "release-deferred", owner, now)
                    .comment(o.summary())
                    .set(StateChange.Field.ATTEMPTS, attempts).set(StateChange.Field.NEXT_ATTEMPT_AT, next)
                    .set(StateChange.Field.RELEASE_DEADLINE, deadline)
                    .set(StateChange.Field.REMAINING_RECIPIENTS, o.deferred)
                    .set(StateChange.Field.DELIVERED_COUNT, delivered)
                    .set(StateChange.Field.LAST_ERROR, o.lastError)
                    .set(StateChange.Field.RELEASE_OWNER, null).set(StateChange.Field.LEASE_UNTIL, null).build());
            if (done.isEmpty()) {
                lostLease(s);
                return;
            }
            audit.event(AuditEvent.of(AuditEvent.RELEASE).time(now).ref(s.referenceId()).user(owner).action("deferred")
                    .field("delivered", o.delivered.size()).field("deferred", o.deferred.size())
                    .field("failed", o.failed.size()).field("next_attempt", next.toString()).build());
            if (!o.failed.isEmpty()) {
                bounce(done.get(), o.failures(o.failed, false), headers, now);
            }
            return;
        }
        List<HoldNotifier.FailedRecipient> failed = new ArrayList<>(o.failures(o.failed, false));
        failed.addAll(o.failures(o.deferred, true));
        if (delivered > 0) {
            end(s, HoldState.RELEASED, "released", failed.isEmpty() ? null : o.summary(), failed, delivered, now,
                    headers);
        } else {
            end(s, HoldState.REJECTED, "bounced", o.summary(), failed, delivered, now, headers);
        }
    }

    private void end(StoredItem s, HoldState to, String action, String comment, List<HoldNotifier.FailedRecipient> failed,
                     int delivered, Instant now, String headers) throws IOException {
        Optional<StoredItem> done = store.apply(StateChange.of(s, to, action, owner, now).comment(comment)
                .set(StateChange.Field.ATTEMPTS, s.attempts() + 1)
                .set(StateChange.Field.DELIVERED_COUNT, delivered)
                .set(StateChange.Field.REMAINING_RECIPIENTS, List.of())
                .set(StateChange.Field.RELEASE_OWNER, null).set(StateChange.Field.LEASE_UNTIL, null).build());
        if (done.isEmpty()) {
            lostLease(s);
            return;
        }
        boolean sent = to == HoldState.RELEASED;
        // External recipients and the My Number findings go in too: a release of held My Numbers to
        // outside is an incident (IncidentCriteria) and the incident report counts it as having left.
        long myNumbers = s.details() == null ? 0 : s.details().findings().stream()
                .filter(f -> "MY_NUMBER".equals(f.type())).count();
        java.util.List<String> external = s.details() == null ? java.util.List.of() : s.details().externalRecipients();
        audit.event(AuditEvent.of(sent ? AuditEvent.RELEASE : AuditEvent.BOUNCE).time(now).ref(s.referenceId())
                .user(owner).action(action).field("kind", s.kind().name()).field("rule", s.item().rule())
                .field("delivered", delivered).field("failed", failed.size())
                .field(jp.mynaguard.proxy.audit.DecisionRecord.EXTERNAL_RECIPIENTS, external)
                .field(jp.mynaguard.proxy.audit.DecisionRecord.MY_NUMBERS, myNumbers).build());
        if (sent) {
            LOG.info("ref {}: released to {} recipient(s){}", s.referenceId(), delivered,
                    failed.isEmpty() ? "" : ", " + failed.size() + " refused");
        } else {
            LOG.warn("ref {}: not released ({}): {}", s.referenceId(), action, comment);
        }
        if (!failed.isEmpty()) {
            bounce(done.get(), failed, headers, now);
        }
    }

    private void bounce(StoredItem s, List<HoldNotifier.FailedRecipient> failed, String headers, Instant now) {
        if (s.item().sender().isBlank()) {
            return;
        }
        if (!failed.isEmpty()) {
            audit.event(AuditEvent.of(AuditEvent.BOUNCE).time(now).ref(s.referenceId()).user(owner).action("dsn")
                    .field("recipients", failed.size()).build());
        }
        HoldNotifier.Notice n = new HoldNotifier.Notice(HoldNotifier.Template.SENDER_BOUNCED, s.referenceId(),
                List.of(s.item().sender()), NoticeValues.with(NoticeValues.of(s, settings), "failed_count",
                        String.valueOf(failed.size())));
        notifier.bounce(new HoldNotifier.Bounce(n, s.item().receivedAt(), failed, headers));
    }

    private void lostLease(StoredItem s) {
        LOG.error("ref {}: the release finished after this instance's claim was taken over (its lease ran out);"
                + " the message may be delivered twice", s.referenceId());
        audit.event(AuditEvent.of(AuditEvent.RELEASE).ref(s.referenceId()).user(owner).action("lease-lost").build());
    }

    /** The header block of the message (up to the first empty line), masked, for the bounce. */
    static String headers(InputSource content) throws IOException {
        try (InputStream in = content.openStream()) {
            String text = new String(in.readNBytes(HoldLimits.MAX_BOUNCE_HEADER_BYTES), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String block = end < 0 ? text : text.substring(0, end + 2);
            StringBuilder out = new StringBuilder();
            for (String line : block.split("\r\n", -1)) {
                out.append(jp.mynaguard.policy.detect.LocationMask.mask(line)).append("\r\n");
            }
            return MetadataMask.mask(out.toString().strip()) + "\r\n";
        }
    }

}
