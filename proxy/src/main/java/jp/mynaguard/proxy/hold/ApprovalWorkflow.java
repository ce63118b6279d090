package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;

/**
 * The workflow of held items for people: what they see, what they may do, and the record of
 * it. Every rule is in {@link Permissions} and enforced here, on the server; every change is one
 * compare-and-set on the store ({@link StateChange}) with its transition recorded, and an audit
 * record. Two clicks, two browsers or two gateway instances deciding at once: one wins, the
 * other gets {@link WorkflowException.Reason#CONFLICT}.
 *
 * <p>An approval binds to what was reviewed: the decision records the item's
 * {@link ContentBinding}, and release sends only what still matches it.
 */
public final class ApprovalWorkflow implements HoldWorkflow, HoldEvents {
    private final HoldStore store;
    private final HoldSettings settings;
    private final HoldNotifier notifier;
    private final WorkflowAudit audit;
    private final Clock clock;
    private final Supplier<List<String>> admins;
    private volatile Runnable releaseSoon = () -> { };

    /**
     * @param admins the addresses told about quarantined items and refused approvals (the
     *               policy's security team, read when needed so a reload applies)
     */
    public ApprovalWorkflow(HoldStore store, HoldSettings settings, HoldNotifier notifier, AuditSink audit, Clock clock,
                            Supplier<List<String>> admins) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.audit = new WorkflowAudit(Objects.requireNonNull(audit, "audit"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.admins = Objects.requireNonNull(admins, "admins");
    }

    /** What to run after an approval so the release starts without waiting for the next tick. */
    public void onApproved(Runnable kick) {
        this.releaseSoon = Objects.requireNonNull(kick, "kick");
    }

    @Override
    public List<HeldItem> sentBy(Actor actor, int limit) throws IOException {
        if (actor.address().isBlank()) {
            return List.of();
        }
        List<HeldItem> out = new ArrayList<>();
        for (StoredItem s : store.query(ItemQuery.all(clamp(limit)).withSender(actor.address()))) {
            if (Permissions.isSender(actor, s)) {
                out.add(s.item());
            }
        }
        return out;
    }

    @Override
    public List<HeldItem> awaiting(Actor actor, int limit) throws IOException {
        int n = clamp(limit);
        Map<String, StoredItem> found = new LinkedHashMap<>();
        if (actor.has(Role.APPROVER) && !actor.address().isBlank()) {
            ItemQuery q = ItemQuery.all(n).withStates(Set.of(HoldState.HELD)).withKinds(Set.of(HoldKind.APPROVE))
                    .withApprover(actor.address());
            store.query(q).forEach(s -> found.put(s.referenceId(), s));
        }
        if (actor.has(Role.ADMIN)) {
            ItemQuery q = ItemQuery.all(n).withStates(Set.of(HoldState.HELD)).withKinds(Set.of(HoldKind.QUARANTINE));
            store.query(q).forEach(s -> found.put(s.referenceId(), s));
        }
        return found.values().stream()
                .filter(s -> Permissions.mayDecide(actor, s))
                .sorted(Comparator.comparing((StoredItem s) -> s.item().receivedAt()).reversed())
                .limit(n)
                .map(StoredItem::item)
                .toList();
    }

    @Override
    public List<HeldItem> search(Actor actor, Query query) throws IOException, WorkflowException {
        Instant now = clock.instant();
        if (!actor.has(Role.ADMIN) && !actor.has(Role.AUDITOR)) {
            throw refuse(actor, "search", "", WorkflowException.Reason.FORBIDDEN,
                    "searching all items needs the admin or auditor role", now);
        }
        ItemQuery q = new ItemQuery(query.states(), Set.of(), query.from(), query.to(), null, query.sender(),
                query.rule(), null, clamp(query.limit()));
        return store.query(q).stream().map(StoredItem::item).toList();
    }

    @Override
    public ItemDetail detail(Actor actor, String referenceId) throws IOException, WorkflowException {
        StoredItem s = visible(actor, referenceId, "view");
        HoldDetails d = s.details();
        return new ItemDetail(s.item(), d.subject(), d.attachments(), d.findings(), d.approvers(), d.backupApprovers(),
                d.externalRecipients(), d.expiresAt(), store.transitions(referenceId), Permissions.mayDecide(actor, s));
    }

    @Override
    public HeldItem approve(Actor actor, String referenceId, String comment) throws IOException, WorkflowException {
        return decide(actor, referenceId, comment, true);
    }

    @Override
    public HeldItem reject(Actor actor, String referenceId, String comment) throws IOException, WorkflowException {
        return decide(actor, referenceId, comment, false);
    }

    private HeldItem decide(Actor actor, String ref, String comment, boolean approve)
            throws IOException, WorkflowException {
        String action = approve ? "approve" : "reject";
        checkComment(comment);
        StoredItem s = visible(actor, ref, action);
        Instant now = clock.instant();
        String refusal = Permissions.decideRefusal(actor, s);
        if (refusal != null) {
            throw refuse(actor, action, ref, WorkflowException.Reason.FORBIDDEN, refusal, now);
        }
        if (s.state() != HoldState.HELD) {
            throw refuse(actor, action, ref, WorkflowException.Reason.CONFLICT, "already " + s.state(), now);
        }
        HoldState to = approve ? HoldState.APPROVED : HoldState.REJECTED;
        StateChange.Builder change = StateChange.of(s, to, action, actor.login(), now).comment(comment);
        if (approve) {
            change.set(StateChange.Field.APPROVED_BINDING, s.binding()).set(StateChange.Field.NEXT_ATTEMPT_AT, now);
        }
        StoredItem after = store.apply(change.build()).orElseThrow(() -> refuse(actor, action, ref,
                WorkflowException.Reason.CONFLICT, "decided by someone else meanwhile", now));
        audit.action(actor, action, s, to, comment, now);
        notifySender(after, approve ? HoldNotifier.Template.SENDER_APPROVED : HoldNotifier.Template.SENDER_REJECTED,
                "comment", comment, "actor", actor.login());
        if (approve) {
            releaseSoon.run();
        }
        return after.item();
    }

    @Override
    public HeldItem cancel(Actor actor, String referenceId, String comment) throws IOException, WorkflowException {
        checkComment(comment);
        StoredItem s = visible(actor, referenceId, "cancel");
        Instant now = clock.instant();
        String refusal = Permissions.cancelRefusal(actor, s);
        if (refusal != null) {
            throw refuse(actor, "cancel", referenceId, WorkflowException.Reason.FORBIDDEN, refusal, now);
        }
        if (s.state() != HoldState.HELD) {
            throw refuse(actor, "cancel", referenceId, WorkflowException.Reason.CONFLICT, "already " + s.state(), now);
        }
        StoredItem after = store.apply(StateChange.of(s, HoldState.CANCELLED, "cancel", actor.login(), now)
                .comment(comment).build()).orElseThrow(() -> refuse(actor, "cancel", referenceId,
                WorkflowException.Reason.CONFLICT, "decided by someone else meanwhile", now));
        audit.action(actor, "cancel", s, HoldState.CANCELLED, comment, now);
        return after.item();
    }

    @Override
    public InputStream reveal(Actor actor, String referenceId) throws IOException, WorkflowException {
        StoredItem s = visible(actor, referenceId, "reveal");
        Instant now = clock.instant();
        if (!actor.has(Role.REVEAL)) {
            throw refuse(actor, "reveal", referenceId, WorkflowException.Reason.FORBIDDEN,
                    "revealing content needs the reveal permission", now);
        }
        if (s.contentDestroyed()) {
            throw refuse(actor, "reveal", referenceId, WorkflowException.Reason.CONFLICT,
                    "the content was destroyed after the retention period", now);
        }
        // Recorded before a single byte is handed out.
        store.record(referenceId, "reveal", actor.login(), null, now);
        audit.action(actor, "reveal", s, s.state(), null, now);
        return store.openContent(referenceId);
    }

    @Override
    public void approvalBlocked(String referenceId, String rule, String sender, int recipientCount,
                                String findingsSummary) {
        Instant now = clock.instant();
        audit.event(AuditEvent.of(WorkflowAudit.HOLD).time(now).ref(referenceId).user(Actor.SYSTEM.login())
                .action("no-approver-blocked").field("rule", MetadataMask.mask(rule))
                .field("recipients", recipientCount).build());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ref", referenceId);
        values.put("url", settings.itemUrl(referenceId));
        values.put("rule", rule);
        values.put("sender", sender);
        values.put("recipients_count", String.valueOf(recipientCount));
        values.put("findings", findingsSummary);
        values.put("received", NoticeValues.time(now, settings));
        values.put("outcome_ja", "送信を拒否しました（保存していません）");
        values.put("outcome_en", "refused (not stored, not delivered)");
        notifier.notify(new HoldNotifier.Notice(HoldNotifier.Template.NO_APPROVER, referenceId,
                NoticeValues.nonEmpty(admins.get()), values));
    }

    /** The addresses told about quarantine and refused approvals, as the policy says now. */
    List<String> admins() {
        return NoticeValues.nonEmpty(admins.get());
    }

    HoldSettings settings() {
        return settings;
    }

    void notifySender(StoredItem s, HoldNotifier.Template template, String... pairs) {
        if (s.item().sender().isBlank() || s.contentDestroyed()) {
            return;
        }
        notifier.notify(new HoldNotifier.Notice(template, s.referenceId(), List.of(s.item().sender()),
                NoticeValues.with(NoticeValues.of(s, settings), pairs)));
    }

    private StoredItem visible(Actor actor, String ref, String action) throws IOException, WorkflowException {
        Optional<StoredItem> s = ref == null ? Optional.empty() : store.entry(ref);
        if (s.isEmpty() || !Permissions.maySee(actor, s.get())) {
            // The same answer whether it does not exist or is someone else's: ids are not probed.
            throw refuse(actor, action, ref == null ? "" : ref, WorkflowException.Reason.NOT_FOUND, "no such item",
                    clock.instant());
        }
        return s.get();
    }

    private WorkflowException refuse(Actor actor, String action, String ref, WorkflowException.Reason reason, String why,
                                     Instant at) {
        audit.refused(actor, action, ref, reason, why, at);
        return new WorkflowException(reason, why);
    }

    private static void checkComment(String comment) {
        if (comment != null && comment.length() > HoldLimits.MAX_COMMENT_CHARS) {
            throw new IllegalArgumentException("comment longer than " + HoldLimits.MAX_COMMENT_CHARS + " characters");
        }
    }

    static int clamp(int limit) {
        return limit <= 0 ? HoldLimits.DEFAULT_LIST : Math.min(limit, HoldLimits.MAX_LIST);
    }
}
