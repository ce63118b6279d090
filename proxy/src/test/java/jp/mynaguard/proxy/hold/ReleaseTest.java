package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.hold.WorkflowFixture.ADMIN;
import static jp.mynaguard.proxy.hold.WorkflowFixture.YAMADA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jp.mynaguard.proxy.audit.AuditEvent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release through the real upstream client to a real SMTP server on loopback: exactly the stored
 * bytes to exactly the stored recipients, once; retries with backoff on 4xx; bounces on 5xx and
 * when the retry period is over; nothing sent when the item no longer matches its approval.
 */
class ReleaseTest {
    @TempDir
    Path dir;
    private SmtpSink sink;
    private WorkflowFixture f;

    @BeforeEach
    void open() throws Exception {
        sink = new SmtpSink();
        f = WorkflowFixture.sqlite(dir, sink.port());
    }

    @AfterEach
    void close() throws Exception {
        f.close();
        sink.close();
    }

    @Test
    void anApprovedItemGoesOutOnceExactlyAsStored() throws Exception {
        String ref = f.approval();
        f.workflow.approve(YAMADA, ref, null);
        assertThrows(WorkflowException.class, () -> f.workflow.approve(YAMADA, ref, null), "a double click");
        f.scheduler.tick();
        f.scheduler.tick();
        List<SmtpSink.Message> got = sink.snapshot();
        assertEquals(1, got.size());
        assertEquals("tanaka@example.co.jp", got.get(0).mailFrom());
        assertEquals(List.of("partner@outside.test", "colleague@example.co.jp"), got.get(0).recipients());
        assertArrayEquals(WorkflowFixture.message(ref), got.get(0).data(), "byte for byte");
        StoredItem s = f.entry(ref);
        assertEquals(HoldState.RELEASED, s.state());
        assertEquals(2, s.deliveredCount());
        assertNull(s.releaseOwner());
        assertEquals(List.of("hold", "approve", "release-claimed", "released"),
                f.store.transitions(ref).stream().map(HoldWorkflow.Transition::action).toList());
        AuditEvent e = f.audit.events.stream().filter(x -> x.type().equals(AuditEvent.RELEASE)).findFirst().orElseThrow();
        assertEquals("released", e.fields().get("action"));
        assertEquals(2, e.fields().get("delivered"));
        // What makes this release an incident (held My Numbers to outside): counts and addresses, no digits.
        assertEquals(List.of("partner@outside.test"), e.fields().get("externalRecipients"));
        assertEquals(1L, e.fields().get("myNumbers"));
        assertTrue(jp.mynaguard.proxy.audit.IncidentCriteria.isIncident(e));
    }

    @Test
    void aLargeMessageIsRelayedFromAPrivateSpoolFileThatIsDeletedAfter() throws Exception {
        String ref = jp.mynaguard.proxy.ReferenceId.next();
        byte[] big = ("Subject: big\r\nMessage-ID: <" + ref + "@example.co.jp>\r\n\r\n"
                + "line of text\r\n".repeat(HoldLimits.RELEASE_SPOOL_THRESHOLD / 10)).getBytes(StandardCharsets.US_ASCII);
        assertTrue(big.length > HoldLimits.RELEASE_SPOOL_THRESHOLD);
        f.store.hold(new HoldRequest(ref, HoldKind.QUARANTINE, "smtp", "tanaka@example.co.jp",
                List.of("partner@outside.test"), "r", "v", "s", f.clock.instant(), null,
                jp.mynaguard.policy.extract.InputSource.of(big)));
        f.workflow.approve(ADMIN, ref, null);
        f.scheduler.tick();
        assertEquals(HoldState.RELEASED, f.state(ref));
        assertArrayEquals(big, sink.snapshot().get(0).data());
        try (var files = java.nio.file.Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("mynaguard-release-")),
                    "no plaintext copy left behind");
        }
    }

    @Test
    void twoInstancesOnOneStoreReleaseEachItemOnce() throws Exception {
        List<String> refs = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String ref = f.approval();
            f.workflow.approve(YAMADA, ref, null);
            refs.add(ref);
        }
        try (SqliteHoldStore second = SqliteHoldStore.open(dir);
             jp.mynaguard.proxy.smtp.Upstream up = WorkflowFixture.upstream(sink.port())) {
            HoldScheduler other = new HoldScheduler(second, up, f.settings, new RecordingNotifier(), new RecordingAudit(),
                    f.clock, List::of, "second-instance");
            Thread t = new Thread(other::tick);
            t.start();
            f.scheduler.tick();
            t.join();
            f.scheduler.tick();
            other.tick();
        }
        assertEquals(6, sink.snapshot().size());
        assertEquals(refs.size(), sink.snapshot().stream().map(m -> m.text().split("Message-ID: <")[1].split("@")[0])
                .distinct().count(), "every item once");
        for (String ref : refs) {
            assertEquals(HoldState.RELEASED, f.state(ref));
        }
    }

    @Test
    void temporaryFailuresAreRetriedWithBackoffOnlyForTheOpenRecipients() throws Exception {
        String ref = f.approval();
        sink.rcptReply = r -> r.startsWith("partner") ? "451 4.3.0 try later" : "250 2.1.5 Ok";
        f.workflow.approve(YAMADA, ref, null);
        f.scheduler.tick();
        StoredItem s = f.entry(ref);
        assertEquals(HoldState.APPROVED, s.state());
        assertEquals(1, s.attempts());
        assertEquals(WorkflowFixture.T0.plus(HoldSettings.DEFAULT_FIRST_RETRY), s.nextAttemptAt());
        assertEquals(List.of("partner@outside.test"), s.remainingRecipients());
        assertEquals(1, s.deliveredCount());
        assertTrue(s.lastError().startsWith("451"), s.lastError());
        assertEquals(1, sink.snapshot().size());

        f.clock.advance(Duration.ofSeconds(30));
        f.scheduler.tick();
        assertEquals(1, sink.snapshot().size(), "not before the backoff");
        f.clock.advance(Duration.ofSeconds(31));
        f.scheduler.tick();
        assertEquals(HoldState.APPROVED, f.state(ref));
        assertEquals(WorkflowFixture.T0.plusSeconds(61).plus(HoldSettings.DEFAULT_FIRST_RETRY.multipliedBy(2)),
                f.entry(ref).nextAttemptAt(), "the wait doubles");

        sink.rcptReply = r -> "250 2.1.5 Ok";
        f.clock.advance(Duration.ofMinutes(2));
        f.scheduler.tick();
        assertEquals(HoldState.RELEASED, f.state(ref));
        List<SmtpSink.Message> got = sink.snapshot();
        assertEquals(2, got.size());
        assertEquals(List.of("colleague@example.co.jp"), got.get(0).recipients());
        assertEquals(List.of("partner@outside.test"), got.get(1).recipients(), "only the one still open");
        assertEquals(2, f.entry(ref).deliveredCount());
        assertTrue(f.notifier.bounces.isEmpty());
    }

    @Test
    void permanentRefusalsBounceToTheSender() throws Exception {
        String partial = f.approval();
        sink.rcptReply = r -> r.startsWith("partner") ? "550 5.1.1 no such user" : "250 2.1.5 Ok";
        f.workflow.approve(YAMADA, partial, null);
        f.scheduler.tick();
        assertEquals(HoldState.RELEASED, f.state(partial), "the colleague got it");
        HoldNotifier.Bounce b = f.notifier.bounces.get(0);
        assertEquals(List.of("tanaka@example.co.jp"), b.notice().to());
        assertEquals(List.of(new HoldNotifier.FailedRecipient("partner@outside.test", "5.1.1", "550 5.1.1 no such user")),
                b.failed());
        assertTrue(b.originalHeaders().contains("Subject: 名簿 " + partial), b.originalHeaders());
        assertTrue(!b.originalHeaders().contains("0858"), "headers only, never the body");

        String none = f.approval();
        sink.rcptReply = r -> "550 5.7.1 relaying denied";
        f.workflow.approve(YAMADA, none, null);
        f.scheduler.tick();
        StoredItem s = f.entry(none);
        assertEquals(HoldState.REJECTED, s.state());
        assertEquals("bounced", f.store.transitions(none).get(f.store.transitions(none).size() - 1).action());
        assertEquals(2, f.notifier.bounces.get(1).failed().size());
        assertTrue(f.audit.events.stream().anyMatch(e -> e.type().equals(AuditEvent.BOUNCE)
                && none.equals(e.fields().get("ref")) && "bounced".equals(e.fields().get("action"))));
    }

    @Test
    void afterTheRetryPeriodTheReleaseIsGivenUpAndBounced() throws Exception {
        String ref = f.approval();
        sink.rcptReply = r -> "452 4.2.2 mailbox full";
        f.workflow.approve(YAMADA, ref, null);
        for (int i = 0; i < 60 && f.state(ref) != HoldState.REJECTED; i++) {
            f.scheduler.tick();
            f.clock.advance(HoldSettings.DEFAULT_MAX_RETRY_INTERVAL);
        }
        StoredItem s = f.entry(ref);
        assertEquals(HoldState.REJECTED, s.state());
        assertTrue(s.attempts() > 5 && s.attempts() < 40, "backed off, not hammered: " + s.attempts());
        HoldNotifier.Bounce b = f.notifier.bounces.get(0);
        assertEquals("4.4.7", b.failed().get(0).status());
        assertTrue(sink.snapshot().isEmpty());
    }

    @Test
    void anItemThatNoLongerMatchesItsApprovalIsNotSent() throws Exception {
        String ref = f.approval();
        f.workflow.approve(ADMIN, ref, null);
        StoredItem approved = f.entry(ref);
        f.store.apply(StateChange.of(approved, HoldState.APPROVED, "test-tamper", "test", f.clock.instant())
                .set(StateChange.Field.APPROVED_BINDING, "0".repeat(64)).build()).orElseThrow();
        f.scheduler.tick();
        assertEquals(HoldState.REJECTED, f.state(ref));
        assertEquals("binding-mismatch", f.store.transitions(ref).get(f.store.transitions(ref).size() - 1).action());
        assertTrue(sink.snapshot().isEmpty());
    }
}
