package jp.mynaguard.proxy.console;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.hold.WorkflowException;

/**
 * A small, faithful in-memory {@link HoldWorkflow} for the console's tests until the real one
 * (PostgreSQL/SQLite, release, notifications) is merged. It keeps states and a history and
 * enforces the interface's rules:
 * <ul>
 * <li>visibility: the sender, the approval item's approvers with the approver role (backups once
 *     escalated), admins and auditors see an item; for anyone else it does not exist ({@code NOT_FOUND});</li>
 * <li>deciding: approval items by a named approver with the approver role, or by an admin;
 *     quarantine and timed holds by an admin; never by the sender or a recipient
 *     ({@code FORBIDDEN}); only while {@code HELD} ({@code CONFLICT});</li>
 * <li>cancel: the sender, for timed holds and approval requests, while {@code HELD};</li>
 * <li>reveal: the reveal role on a visible item, recorded before the content is returned;</li>
 * <li>search: admins and auditors only.</li>
 * </ul>
 */
final class MemoryHoldWorkflow implements HoldWorkflow {
    /** What a test puts in: an item as the SMTP side would have held it. */
    record Spec(String ref, HoldKind kind, String sender, List<String> recipients, List<String> external,
                String subject, String rule, String findingsSummary, List<Finding> findings,
                List<Attachment> attachments, List<String> approvers, List<String> backups, Instant receivedAt,
                Instant expiresAt, byte[] content) {
    }

    private static final class Item {
        final Spec spec;
        HoldState state = HoldState.HELD;
        boolean escalated;
        final List<Transition> history = new ArrayList<>();

        Item(Spec spec) {
            this.spec = spec;
        }

        HeldItem meta() {
            Instant releaseAfter = spec.kind == HoldKind.HOLD ? spec.expiresAt : null;
            return new HeldItem(spec.ref, spec.kind, state.name(), "smtp", spec.sender, spec.recipients, spec.rule,
                    "sha256:test", spec.findingsSummary, spec.receivedAt, releaseAfter, spec.content.length,
                    "0".repeat(64));
        }
    }

    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Clock clock;

    MemoryHoldWorkflow(Clock clock) {
        this.clock = clock;
    }

    synchronized void add(Spec spec) {
        Item i = new Item(spec);
        i.history.add(new Transition(null, HoldState.HELD, "hold", "system", spec.receivedAt, spec.rule));
        items.put(spec.ref, i);
    }

    /** The primary approvers did not act: the backups may decide now. */
    synchronized void escalate(String ref) {
        Item i = items.get(ref);
        i.escalated = true;
        i.history.add(new Transition(i.state, i.state, "escalate", "system", clock.instant(), null));
    }

    /** Every held approval item past its deadline expires (the configured outcome: reject). */
    synchronized void expire() {
        Instant now = clock.instant();
        for (Item i : items.values()) {
            if (i.state == HoldState.HELD && i.spec.kind != HoldKind.HOLD && i.spec.expiresAt != null
                    && !i.spec.expiresAt.isAfter(now)) {
                move(i, HoldState.EXPIRED, "expire", "system", null);
            }
        }
    }

    synchronized HoldState state(String ref) {
        return items.get(ref).state;
    }

    synchronized List<Transition> history(String ref) {
        return List.copyOf(items.get(ref).history);
    }

    @Override
    public synchronized List<HeldItem> sentBy(Actor actor, int limit) {
        return newest(i -> isSender(actor, i), limit);
    }

    @Override
    public synchronized List<HeldItem> awaiting(Actor actor, int limit) {
        return newest(i -> i.state == HoldState.HELD && mayDecide(actor, i), limit);
    }

    @Override
    public synchronized List<HeldItem> search(Actor actor, Query q) throws WorkflowException {
        if (!actor.has(Role.ADMIN) && !actor.has(Role.AUDITOR)) {
            throw new WorkflowException(WorkflowException.Reason.FORBIDDEN, "search is for admins and auditors");
        }
        int limit = q.limit() > 0 ? q.limit() : Integer.MAX_VALUE;
        return newest(i -> (q.states().isEmpty() || q.states().contains(i.state))
                && (q.from() == null || !i.spec.receivedAt.isBefore(q.from()))
                && (q.to() == null || i.spec.receivedAt.isBefore(q.to()))
                && (q.sender() == null || i.spec.sender.toLowerCase(Locale.ROOT).contains(q.sender().toLowerCase(Locale.ROOT)))
                && (q.rule() == null || i.spec.rule.equals(q.rule())), limit);
    }

    @Override
    public synchronized ItemDetail detail(Actor actor, String ref) throws WorkflowException {
        Item i = visible(actor, ref);
        return new ItemDetail(i.meta(), i.spec.subject, i.spec.attachments, i.spec.findings, i.spec.approvers,
                i.spec.backups, i.spec.external, i.spec.expiresAt, i.history,
                i.state == HoldState.HELD && mayDecide(actor, i));
    }

    @Override
    public synchronized HeldItem approve(Actor actor, String ref, String comment) throws WorkflowException {
        return decide(actor, ref, comment, HoldState.APPROVED, "approve");
    }

    @Override
    public synchronized HeldItem reject(Actor actor, String ref, String comment) throws WorkflowException {
        return decide(actor, ref, comment, HoldState.REJECTED, "reject");
    }

    @Override
    public synchronized HeldItem cancel(Actor actor, String ref, String comment) throws WorkflowException {
        Item i = visible(actor, ref);
        if (!isSender(actor, i) || i.spec.kind == HoldKind.QUARANTINE) {
            throw new WorkflowException(WorkflowException.Reason.FORBIDDEN, "only the sender cancels, and not a quarantine");
        }
        requireHeld(i);
        move(i, HoldState.CANCELLED, "cancel", actor.login(), comment);
        return i.meta();
    }

    @Override
    public synchronized InputStream reveal(Actor actor, String ref) throws WorkflowException {
        Item i = visible(actor, ref);
        if (!actor.has(Role.REVEAL)) {
            throw new WorkflowException(WorkflowException.Reason.FORBIDDEN, "reveal needs the reveal role");
        }
        i.history.add(new Transition(i.state, i.state, "reveal", actor.login(), clock.instant(), null));
        return new ByteArrayInputStream(i.spec.content);
    }

    private HeldItem decide(Actor actor, String ref, String comment, HoldState to, String action)
            throws WorkflowException {
        Item i = visible(actor, ref);
        if (!mayDecide(actor, i)) {
            throw new WorkflowException(WorkflowException.Reason.FORBIDDEN, "not an approver of this item");
        }
        requireHeld(i);
        move(i, to, action, actor.login(), comment);
        return i.meta();
    }

    private void move(Item i, HoldState to, String action, String who, String comment) {
        i.history.add(new Transition(i.state, to, action, who, clock.instant(), comment));
        i.state = to;
    }

    private static void requireHeld(Item i) throws WorkflowException {
        if (i.state != HoldState.HELD) {
            throw new WorkflowException(WorkflowException.Reason.CONFLICT, "the item is " + i.state);
        }
    }

    private Item visible(Actor actor, String ref) throws WorkflowException {
        Item i = items.get(ref);
        if (i == null || !(isSender(actor, i) || named(actor, i) || actor.has(Role.ADMIN) || actor.has(Role.AUDITOR))) {
            throw new WorkflowException(WorkflowException.Reason.NOT_FOUND, "no such item");
        }
        return i;
    }

    /** Separation of duties first: never the sender, never a recipient; then who the kind allows. */
    private static boolean mayDecide(Actor actor, Item i) {
        if (isSender(actor, i) || i.spec.recipients.stream().anyMatch(r -> r.equalsIgnoreCase(actor.address()))) {
            return false;
        }
        if (actor.has(Role.ADMIN)) {
            return true;
        }
        return named(actor, i);
    }

    /** Listed as approver (backup once escalated), with the approver role: as the real workflow's Permissions. */
    private static boolean named(Actor actor, Item i) {
        return actor.has(Role.APPROVER) && i.spec.kind == HoldKind.APPROVE && (contains(i.spec.approvers, actor.address())
                || i.escalated && contains(i.spec.backups, actor.address()));
    }

    private static boolean isSender(Actor actor, Item i) {
        return !actor.address().isEmpty() && actor.address().equalsIgnoreCase(i.spec.sender);
    }

    private static boolean contains(List<String> list, String address) {
        return !address.isEmpty() && list.stream().anyMatch(a -> a.equalsIgnoreCase(address));
    }

    private List<HeldItem> newest(Predicate<Item> p, int limit) {
        return items.values().stream().filter(p)
                .sorted(Comparator.comparing((Item i) -> i.spec.receivedAt).reversed())
                .limit(limit).map(Item::meta).toList();
    }
}
