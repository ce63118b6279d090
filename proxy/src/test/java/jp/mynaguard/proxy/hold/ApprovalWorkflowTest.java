package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.hold.WorkflowFixture.ADMIN;
import static jp.mynaguard.proxy.hold.WorkflowFixture.AUDITOR;
import static jp.mynaguard.proxy.hold.WorkflowFixture.KIMURA;
import static jp.mynaguard.proxy.hold.WorkflowFixture.SUZUKI;
import static jp.mynaguard.proxy.hold.WorkflowFixture.TANAKA;
import static jp.mynaguard.proxy.hold.WorkflowFixture.YAMADA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome;
import jp.mynaguard.proxy.audit.AuditEvent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every decision transition of {@link ApprovalWorkflow} and every refusal, on a real SQLite store. */
class ApprovalWorkflowTest {
    @TempDir
    Path dir;
    private WorkflowFixture f;

    @BeforeEach
    void open() throws Exception {
        f = WorkflowFixture.sqlite(dir, 0);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private WorkflowException refused(WorkflowException.Reason reason, org.junit.jupiter.api.function.Executable e) {
        WorkflowException x = assertThrows(WorkflowException.class, e);
        assertEquals(reason, x.reason(), x.getMessage());
        return x;
    }

    @Test
    void listedApproverApprovesBoundToTheContentAndTheSenderIsTold() throws Exception {
        String ref = f.approval();
        HeldItem after = f.workflow.approve(YAMADA, ref, "OK, 取引先の依頼どおり");
        assertEquals("APPROVED", after.state());
        StoredItem s = f.entry(ref);
        assertEquals(s.binding(), s.approvedBinding(), "the decision records what it approved");
        assertEquals(WorkflowFixture.T0, s.nextAttemptAt(), "release is due at once");
        HoldWorkflow.Transition t = last(ref);
        assertEquals(HoldState.HELD, t.from());
        assertEquals(HoldState.APPROVED, t.to());
        assertEquals("approve", t.action());
        assertEquals("yamada", t.actor());
        assertEquals("OK, 取引先の依頼どおり", t.comment());
        assertEquals(WorkflowFixture.T0, t.at());
        HoldNotifier.Notice n = f.notifier.of(HoldNotifier.Template.SENDER_APPROVED).get(0);
        assertEquals(List.of("tanaka@example.co.jp"), n.to());
        assertEquals("OK, 取引先の依頼どおり", n.values().get("comment"));
        AuditEvent e = f.audit.withAction("approve").get(0);
        assertEquals(AuditEvent.CONSOLE, e.type());
        assertEquals("done", e.fields().get("outcome"));
        assertEquals("yamada", e.fields().get("user"));
        assertEquals(ref, e.fields().get("ref"));
    }

    @Test
    void aSecondApprovalOrRejectionIsAConflict() throws Exception {
        String ref = f.approval();
        f.workflow.approve(YAMADA, ref, null);
        refused(WorkflowException.Reason.CONFLICT, () -> f.workflow.approve(YAMADA, ref, null));
        refused(WorkflowException.Reason.CONFLICT, () -> f.workflow.reject(ADMIN, ref, "too late"));
        assertEquals(HoldState.APPROVED, f.state(ref));
        assertEquals(2, f.store.transitions(ref).size(), "hold and one approval, nothing else");
    }

    @Test
    void rejectionCarriesTheCommentToTheSender() throws Exception {
        String ref = f.approval();
        assertEquals("REJECTED", f.workflow.reject(YAMADA, ref, "宛先が違います").state());
        StoredItem s = f.entry(ref);
        assertEquals(WorkflowFixture.T0, s.finalAt(), "final: retention counts from here");
        assertNull(s.approvedBinding());
        assertEquals("宛先が違います", f.notifier.of(HoldNotifier.Template.SENDER_REJECTED).get(0).values().get("comment"));
        assertEquals("reject", last(ref).action());
    }

    @Test
    void theSenderNeverApprovesTheirOwnMessageWhateverTheirRoles() throws Exception {
        String ref = f.approval(List.of("partner@outside.test"), List.of("tanaka@example.co.jp", "yamada@example.co.jp"),
                List.of(), ExpiryOutcome.REJECT);
        Actor boss = new Actor("tanaka", "Tanaka@Example.co.jp", Set.of(Role.APPROVER, Role.ADMIN, Role.REVEAL));
        WorkflowException x = refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.approve(boss, ref, null));
        assertTrue(x.getMessage().contains("own message"), x.getMessage());
        refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.reject(boss, ref, null));
        assertFalse(f.workflow.detail(boss, ref).mayDecide());
        assertEquals(HoldState.HELD, f.state(ref));
        AuditEvent e = f.audit.withAction("approve").get(0);
        assertEquals("refused", e.fields().get("outcome"));
        assertEquals("FORBIDDEN", e.fields().get("reason"));
    }

    @Test
    void anApproverWhoIsARecipientCannotDecide() throws Exception {
        String ref = f.approval(List.of("partner@outside.test", "yamada@example.co.jp"), List.of("yamada@example.co.jp"),
                List.of(), ExpiryOutcome.REJECT);
        WorkflowException x = refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.approve(YAMADA, ref, null));
        assertTrue(x.getMessage().contains("recipient"), x.getMessage());
        Actor adminRecipient = new Actor("yamada", "yamada@example.co.jp", Set.of(Role.ADMIN));
        refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.approve(adminRecipient, ref, null));
    }

    @Test
    void anApproverNotListedDoesNotEvenSeeTheItem() throws Exception {
        String ref = f.approval();
        refused(WorkflowException.Reason.NOT_FOUND, () -> f.workflow.approve(KIMURA, ref, null));
        refused(WorkflowException.Reason.NOT_FOUND, () -> f.workflow.detail(KIMURA, ref));
        Actor listedWithoutRole = new Actor("yamada", "yamada@example.co.jp", Set.of(Role.SENDER));
        refused(WorkflowException.Reason.NOT_FOUND, () -> f.workflow.approve(listedWithoutRole, ref, null));
        refused(WorkflowException.Reason.NOT_FOUND, () -> f.workflow.approve(YAMADA, "NOSUCHREF", null));
    }

    @Test
    void backupsDecideOnlyAfterEscalation() throws Exception {
        String ref = f.approval();
        refused(WorkflowException.Reason.NOT_FOUND, () -> f.workflow.approve(SUZUKI, ref, null));
        assertTrue(f.workflow.awaiting(SUZUKI, 10).isEmpty());
        f.clock.advance(Duration.ofDays(2));
        f.scheduler.tick();
        assertEquals(List.of(ref), f.workflow.awaiting(SUZUKI, 10).stream().map(HeldItem::referenceId).toList());
        assertEquals("APPROVED", f.workflow.approve(SUZUKI, ref, "代理で承認").state());
    }

    @Test
    void quarantineIsForAdminsOnly() throws Exception {
        String ref = f.quarantine();
        refused(WorkflowException.Reason.NOT_FOUND, () -> f.workflow.approve(YAMADA, ref, null));
        refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.approve(AUDITOR, ref, null));
        refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.cancel(TANAKA, ref, null));
        assertEquals("APPROVED", f.workflow.approve(ADMIN, ref, "誤検知").state());
    }

    @Test
    void adminsMayDecideApprovalsAsTheFallbackButAuditorsNever() throws Exception {
        String ref = f.approval();
        assertTrue(f.workflow.detail(AUDITOR, ref).history().size() >= 1, "auditors see it");
        assertFalse(f.workflow.detail(AUDITOR, ref).mayDecide());
        refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.reject(AUDITOR, ref, null));
        assertTrue(f.workflow.detail(ADMIN, ref).mayDecide());
        assertEquals("REJECTED", f.workflow.reject(ADMIN, ref, "承認者不在のため管理者が却下").state());
    }

    @Test
    void timedHoldsAreCancelledByTheSenderAndDecidedEarlyOnlyByAdmins() throws Exception {
        String ref = f.timedHold(Duration.ofMinutes(10));
        refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.cancel(AUDITOR, ref, null));
        assertEquals("CANCELLED", f.workflow.cancel(TANAKA, ref, "宛先間違い").state());
        assertEquals("cancel", last(ref).action());
        refused(WorkflowException.Reason.CONFLICT, () -> f.workflow.cancel(TANAKA, ref, null));
        f.clock.advance(Duration.ofMinutes(11));
        f.scheduler.tick();
        assertEquals(HoldState.CANCELLED, f.state(ref), "a cancelled hold never releases itself");

        String early = f.timedHold(Duration.ofMinutes(10));
        Actor approver = new Actor("yamada", "yamada@example.co.jp", Set.of(Role.APPROVER));
        refused(WorkflowException.Reason.NOT_FOUND, () -> f.workflow.approve(approver, early, null));
        assertEquals("APPROVED", f.workflow.approve(ADMIN, early, "急ぎ").state());
    }

    @Test
    void theSenderWithdrawsAnApprovalRequestButNotAfterItWasDecided() throws Exception {
        String ref = f.approval();
        refused(WorkflowException.Reason.FORBIDDEN, () -> f.workflow.cancel(YAMADA, ref, null));
        assertEquals("CANCELLED", f.workflow.cancel(TANAKA, ref, null).state());
        refused(WorkflowException.Reason.CONFLICT, () -> f.workflow.approve(YAMADA, ref, null));

        String decided = f.approval();
        f.workflow.approve(YAMADA, decided, null);
        refused(WorkflowException.Reason.CONFLICT, () -> f.workflow.cancel(TANAKA, decided, null));
    }

    @Test
    void commentsAreBoundedAndMasked() throws Exception {
        String ref = f.approval();
        assertThrows(IllegalArgumentException.class,
                () -> f.workflow.reject(YAMADA, ref, "x".repeat(HoldLimits.MAX_COMMENT_CHARS + 1)));
        assertEquals(HoldState.HELD, f.state(ref), "nothing happened");
        f.workflow.reject(YAMADA, ref, "番号 0858-1525-1054 が見えています");
        assertEquals("番号 ****-****-**** が見えています", last(ref).comment());
        for (AuditEvent e : f.audit.events) {
            assertFalse(e.toString().contains("1054"), e.toString());
        }
    }

    @Test
    void twoStoresOnOneDatabaseDecidingAtOnceMakeOneDecision() throws Exception {
        String ref = f.approval();
        try (SqliteHoldStore second = SqliteHoldStore.open(dir)) {
            ApprovalWorkflow other = new ApprovalWorkflow(second, f.settings, new RecordingNotifier(), new RecordingAudit(),
                    f.clock, List::of);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = pool.submit(() -> {
                    go.await();
                    return f.workflow.approve(YAMADA, ref, "a");
                });
                var b = pool.submit(() -> {
                    go.await();
                    return other.reject(ADMIN, ref, "b");
                });
                go.countDown();
                int won = 0;
                int conflicts = 0;
                for (var fut : List.of(a, b)) {
                    try {
                        fut.get();
                        won++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertEquals(WorkflowException.Reason.CONFLICT, ((WorkflowException) e.getCause()).reason());
                        conflicts++;
                    }
                }
                assertEquals(1, won);
                assertEquals(1, conflicts);
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(2, f.store.transitions(ref).size());
    }

    private HoldWorkflow.Transition last(String ref) throws Exception {
        List<HoldWorkflow.Transition> h = f.store.transitions(ref);
        return h.get(h.size() - 1);
    }
}
