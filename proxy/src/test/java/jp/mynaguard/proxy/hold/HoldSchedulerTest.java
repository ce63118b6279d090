package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.hold.WorkflowFixture.YAMADA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clock-driven steps, with a clock the test moves and releases going to a real SMTP sink. */
class HoldSchedulerTest {
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
    void newItemsAreAnnouncedOnceWithALinkAndNoContent() throws Exception {
        String a = f.approval();
        String q = f.quarantine();
        f.scheduler.tick();
        f.scheduler.tick();
        HoldNotifier.Notice request = single(HoldNotifier.Template.APPROVAL_REQUEST);
        assertEquals(List.of("yamada@example.co.jp"), request.to());
        assertEquals("https://console.example.co.jp:8025/items/" + a, request.values().get("url"));
        assertFalse(request.values().containsValue("名簿"), "never the subject");
        HoldNotifier.Notice review = single(HoldNotifier.Template.QUARANTINE_REVIEW);
        assertEquals(List.of("security@example.co.jp"), review.to());
        assertEquals(q, review.referenceId());
        // The approval's rule told the sender itself; the quarantine's did not.
        HoldNotifier.Notice held = single(HoldNotifier.Template.SENDER_HELD);
        assertEquals(q, held.referenceId());
        assertEquals(List.of("tanaka@example.co.jp"), held.to());
        assertNotNull(f.entry(a).announcedAt());
    }

    @Test
    void aTimedHoldReleasesItselfAfterItsDelay() throws Exception {
        String ref = f.timedHold(Duration.ofMinutes(10));
        f.clock.advance(Duration.ofMinutes(9));
        f.scheduler.tick();
        assertEquals(HoldState.HELD, f.state(ref));
        assertTrue(sink.snapshot().isEmpty());
        f.clock.advance(Duration.ofMinutes(2));
        f.scheduler.tick();
        assertEquals(HoldState.RELEASED, f.state(ref));
        assertEquals(1, sink.snapshot().size());
        List<String> actions = f.store.transitions(ref).stream().map(HoldWorkflow.Transition::action).toList();
        assertEquals(List.of("hold", "notify", "timed-release", "release-claimed", "released"), actions);
    }

    @Test
    void remindersAndEscalationComeOnceAtRemindBefore() throws Exception {
        String ref = f.approval();
        f.scheduler.tick();
        f.clock.advance(Duration.ofDays(2).minusMinutes(1));
        f.scheduler.tick();
        assertTrue(f.notifier.of(HoldNotifier.Template.APPROVAL_REMINDER).isEmpty());
        f.clock.advance(Duration.ofMinutes(2));
        f.scheduler.tick();
        f.scheduler.tick();
        assertEquals(List.of("suzuki@example.co.jp"), single(HoldNotifier.Template.APPROVAL_ESCALATION).to());
        assertEquals(List.of("yamada@example.co.jp", "suzuki@example.co.jp"),
                single(HoldNotifier.Template.APPROVAL_REMINDER).to(), "once escalated, the backups are reminded too");
        StoredItem s = f.entry(ref);
        assertNotNull(s.remindedAt());
        assertNotNull(s.escalatedAt());
        assertEquals(HoldState.HELD, s.state());
    }

    @Test
    void expiryRejectsByDefaultAndTellsTheSender() throws Exception {
        String ref = f.approval();
        f.clock.advance(Duration.ofDays(3));
        f.scheduler.tick();
        assertEquals(HoldState.EXPIRED, f.state(ref));
        HoldNotifier.Notice n = single(HoldNotifier.Template.SENDER_EXPIRED);
        assertEquals(List.of("tanaka@example.co.jp"), n.to());
        assertTrue(n.values().get("outcome_en").contains("not sent"), n.values().toString());
        assertTrue(sink.snapshot().isEmpty());
        assertThrows(WorkflowException.class, () -> f.workflow.approve(YAMADA, ref, "too late"));
    }

    @Test
    void expiryReleasesWhereThePolicySaysSo() throws Exception {
        String ref = f.approval(List.of("partner@outside.test"), List.of("yamada@example.co.jp"), List.of(),
                ExpiryOutcome.RELEASE);
        f.clock.advance(Duration.ofDays(3).plusSeconds(1));
        f.scheduler.tick();
        assertEquals(HoldState.RELEASED, f.state(ref));
        assertEquals(1, sink.snapshot().size());
        assertTrue(single(HoldNotifier.Template.SENDER_EXPIRED).values().get("outcome_en").contains("sent now"));
    }

    @Test
    void retentionDestroysTheContentButKeepsTheMetadata() throws Exception {
        String ref = f.approval();
        String kept = f.approval();
        f.workflow.reject(YAMADA, ref, "宛先違い");
        Path file = dir.resolve("hold").resolve("content").resolve(ref + ".bin");
        assertTrue(Files.exists(file));
        f.clock.advance(HoldSettings.DEFAULT_RETENTION.minusMinutes(1));
        f.scheduler.tick();
        assertFalse(f.entry(ref).contentDestroyed());
        f.clock.advance(Duration.ofMinutes(2));
        f.scheduler.tick();
        StoredItem s = f.entry(ref);
        assertTrue(s.contentDestroyed());
        assertFalse(Files.exists(file), "the ciphertext is gone too");
        assertThrows(IOException.class, () -> f.store.openContent(ref));
        assertEquals(HoldState.REJECTED, s.state());
        assertEquals("rule-approve", s.item().rule(), "metadata stays");
        assertEquals("tanaka@example.co.jp", s.item().sender(), "the masked sender column stays");
        assertTrue(s.item().recipients().isEmpty(), "the exact envelope went with the key");
        assertEquals("purge", f.store.transitions(ref).get(f.store.transitions(ref).size() - 1).action());
        assertEquals(1, s.details().findings().size(), "findings (masked) stay for the audit period");
        assertFalse(f.entry(kept).contentDestroyed(), "undecided items are never purged");
        assertEquals(WorkflowException.Reason.CONFLICT, assertThrows(WorkflowException.class,
                () -> f.workflow.reveal(WorkflowFixture.REVEALER, ref)).reason());
    }

    private HoldNotifier.Notice single(HoldNotifier.Template t) {
        List<HoldNotifier.Notice> n = f.notifier.of(t);
        assertEquals(1, n.size(), t + ": " + n);
        return n.get(0);
    }
}
