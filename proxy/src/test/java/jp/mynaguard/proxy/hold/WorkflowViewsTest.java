package jp.mynaguard.proxy.hold;

import static jp.mynaguard.proxy.hold.WorkflowFixture.ADMIN;
import static jp.mynaguard.proxy.hold.WorkflowFixture.AUDITOR;
import static jp.mynaguard.proxy.hold.WorkflowFixture.KIMURA;
import static jp.mynaguard.proxy.hold.WorkflowFixture.REVEALER;
import static jp.mynaguard.proxy.hold.WorkflowFixture.TANAKA;
import static jp.mynaguard.proxy.hold.WorkflowFixture.YAMADA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each role sees: own items, items waiting for them, search, the detail, and reveal. */
class WorkflowViewsTest {
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

    private static List<String> refs(List<HeldItem> items) {
        return items.stream().map(HeldItem::referenceId).toList();
    }

    @Test
    void sendersSeeTheirOwnItemsNewestFirstAndNobodyElses() throws Exception {
        String first = f.approval();
        f.clock.advance(Duration.ofMinutes(1));
        String second = f.quarantine();
        f.clock.advance(Duration.ofMinutes(1));
        String third = f.timedHold(Duration.ofMinutes(10));
        assertEquals(List.of(third, second, first), refs(f.workflow.sentBy(TANAKA, 10)));
        Actor sameAddressOtherCase = new Actor("tanaka", "TANAKA@example.co.jp", Set.of(Role.SENDER));
        assertEquals(3, f.workflow.sentBy(sameAddressOtherCase, 10).size());
        assertEquals(List.of(third), refs(f.workflow.sentBy(TANAKA, 1)));
        assertTrue(f.workflow.sentBy(YAMADA, 10).isEmpty());
        assertTrue(f.workflow.sentBy(new Actor("nobody", "", Set.of(Role.SENDER)), 10).isEmpty());
    }

    @Test
    void approversSeeWhatWaitsForThemAndAdminsTheQuarantineNewestFirst() throws Exception {
        String a1 = f.approval();
        f.clock.advance(Duration.ofMinutes(1));
        String q = f.quarantine();
        f.clock.advance(Duration.ofMinutes(1));
        String a2 = f.approval();
        f.clock.advance(Duration.ofMinutes(1));
        String other = f.approval(List.of("partner@outside.test"), List.of("kimura@example.co.jp"), List.of(),
                jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome.REJECT);
        assertEquals(List.of(a2, a1), refs(f.workflow.awaiting(YAMADA, 10)));
        assertEquals(List.of(other), refs(f.workflow.awaiting(KIMURA, 10)));
        assertEquals(List.of(q), refs(f.workflow.awaiting(ADMIN, 10)), "admins are asked for the quarantine");
        assertTrue(f.workflow.awaiting(AUDITOR, 10).isEmpty());
        assertTrue(f.workflow.awaiting(TANAKA, 10).isEmpty());
        f.workflow.approve(YAMADA, a2, null);
        assertEquals(List.of(a1), refs(f.workflow.awaiting(YAMADA, 10)), "decided items no longer wait");
    }

    @Test
    void searchIsForAdminsAndAuditors() throws Exception {
        String a = f.approval();
        String q = f.quarantine();
        f.workflow.approve(YAMADA, a, null);
        HoldWorkflow.Query all = new HoldWorkflow.Query(Set.of(), null, null, null, null, 100);
        assertEquals(2, f.workflow.search(ADMIN, all).size());
        assertEquals(2, f.workflow.search(AUDITOR, all).size());
        assertEquals(List.of(a), refs(f.workflow.search(AUDITOR,
                new HoldWorkflow.Query(Set.of(HoldState.APPROVED), null, null, null, null, 100))));
        assertEquals(List.of(q), refs(f.workflow.search(ADMIN,
                new HoldWorkflow.Query(Set.of(), null, null, "TANAKA@", "rule-quarantine", 100))));
        assertTrue(f.workflow.search(ADMIN, new HoldWorkflow.Query(Set.of(), null, null, "sato", null, 100)).isEmpty());
        assertTrue(f.workflow.search(ADMIN, new HoldWorkflow.Query(Set.of(), WorkflowFixture.T0.plusSeconds(1), null,
                null, null, 100)).isEmpty());
        WorkflowException x = assertThrows(WorkflowException.class, () -> f.workflow.search(YAMADA, all));
        assertEquals(WorkflowException.Reason.FORBIDDEN, x.reason());
        assertThrows(WorkflowException.class, () -> f.workflow.search(TANAKA, all));
    }

    @Test
    void detailShowsEverythingMaskedWithHistoryAndWhetherTheViewerMayDecide() throws Exception {
        String ref = f.approval();
        HoldWorkflow.ItemDetail d = f.workflow.detail(YAMADA, ref);
        assertTrue(d.mayDecide());
        assertEquals("名簿", d.subject());
        assertEquals(List.of(new HoldWorkflow.Attachment("名簿.csv", 44)), d.attachments());
        assertEquals("マイナンバー: ****-****-****", d.findings().get(0).context());
        assertEquals(List.of("yamada@example.co.jp"), d.approvers());
        assertEquals(List.of("suzuki@example.co.jp"), d.backupApprovers());
        assertEquals(List.of("partner@outside.test"), d.externalRecipients());
        assertEquals(WorkflowFixture.T0.plus(Duration.ofDays(3)), d.expiresAt());
        assertEquals(List.of("partner@outside.test", "colleague@example.co.jp"), d.item().recipients());
        assertEquals("hold", d.history().get(0).action());
        assertFalse(f.workflow.detail(TANAKA, ref).mayDecide(), "the sender sees it but may not decide");
    }

    @Test
    void revealNeedsThePermissionAndIsRecordedBeforeTheBytes() throws Exception {
        String ref = f.approval();
        WorkflowException x = assertThrows(WorkflowException.class, () -> f.workflow.reveal(ADMIN, ref));
        assertEquals(WorkflowException.Reason.FORBIDDEN, x.reason());
        Actor revealingStranger = new Actor("x", "x@example.co.jp", Set.of(Role.APPROVER, Role.REVEAL));
        assertEquals(WorkflowException.Reason.NOT_FOUND,
                assertThrows(WorkflowException.class, () -> f.workflow.reveal(revealingStranger, ref)).reason());
        assertTrue(f.store.transitions(ref).stream().noneMatch(t -> t.action().equals("reveal")));
        try (InputStream in = f.workflow.reveal(REVEALER, ref)) {
            HoldWorkflow.Transition t = f.store.transitions(ref).get(f.store.transitions(ref).size() - 1);
            assertEquals("reveal", t.action());
            assertEquals("kato", t.actor());
            assertEquals(HoldState.HELD, t.from());
            assertEquals(HoldState.HELD, t.to());
            assertArrayEquals(WorkflowFixture.message(ref), in.readAllBytes());
        }
        assertEquals(1, f.audit.withAction("reveal").stream().filter(e -> "done".equals(e.fields().get("outcome"))).count());
        assertEquals(2, f.audit.withAction("reveal").stream().filter(e -> "refused".equals(e.fields().get("outcome"))).count(),
                "the refused attempts (no permission; not allowed to see it) are audited too");
    }
}
