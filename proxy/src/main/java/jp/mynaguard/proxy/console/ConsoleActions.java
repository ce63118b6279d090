package jp.mynaguard.proxy.console;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.hold.WorkflowException;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

/**
 * Every console action once, for the pages and the JSON API alike: the role gate
 * ({@link Permission}), input checks, then the workflow, whose refusals become {@link Refusal}s.
 * Blocking (store, workflow): runs on the console's workers.
 */
final class ConsoleActions {
    /** Reference ids are file names in the store: nothing else reaches the workflow. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    enum Decision { APPROVE, REJECT }

    /** An item with its revealed content. */
    record Revealed(HoldWorkflow.ItemDetail detail, RevealedContent content) {
    }

    private final HoldWorkflow workflow;
    private final PolicyStatus.Source policy;
    private final SmtpUsers users;
    private final ZoneId zone;

    ConsoleActions(HoldWorkflow workflow, PolicyStatus.Source policy, SmtpUsers users, ZoneId zone) {
        this.workflow = workflow;
        this.policy = policy;
        this.users = users;
        this.zone = zone;
    }

    List<HeldItem> mine(Actor a) throws IOException, Refusal {
        require(a, Permission.OWN_ITEMS);
        return workflow.sentBy(a, ConsoleLimits.LIST_LIMIT);
    }

    List<HeldItem> awaiting(Actor a) throws IOException, Refusal {
        require(a, Permission.AWAITING);
        return workflow.awaiting(a, ConsoleLimits.LIST_LIMIT);
    }

    HoldWorkflow.ItemDetail detail(Actor a, String ref) throws IOException, Refusal {
        require(a, Permission.VIEW_ITEM);
        try {
            return workflow.detail(a, reference(ref));
        } catch (WorkflowException e) {
            throw Refusal.of(e);
        }
    }

    HeldItem decide(Actor a, String ref, Decision d, String comment) throws IOException, Refusal {
        require(a, Permission.DECIDE);
        String id = reference(ref);
        String c = comment(comment);
        try {
            return d == Decision.APPROVE ? workflow.approve(a, id, c) : workflow.reject(a, id, c);
        } catch (WorkflowException e) {
            throw Refusal.of(e);
        }
    }

    HeldItem cancel(Actor a, String ref, String comment) throws IOException, Refusal {
        require(a, Permission.OWN_ITEMS);
        String id = reference(ref);
        String c = comment(comment);
        try {
            return workflow.cancel(a, id, c);
        } catch (WorkflowException e) {
            throw Refusal.of(e);
        }
    }

    Revealed reveal(Actor a, String ref) throws IOException, Refusal {
        require(a, Permission.REVEAL);
        String id = reference(ref);
        try {
            HoldWorkflow.ItemDetail d = workflow.detail(a, id);
            try (InputStream in = workflow.reveal(a, id)) {
                return new Revealed(d, RevealedContent.read(in, ConsoleLimits.REVEAL_MAX_CHARS));
            }
        } catch (WorkflowException e) {
            throw Refusal.of(e);
        }
    }

    List<HeldItem> search(Actor a, AdminViews.Filters f) throws IOException, Refusal {
        require(a, Permission.SEARCH);
        Set<HoldState> states = EnumSet.noneOf(HoldState.class);
        if (f.state() != null && !f.state().isEmpty()) {
            try {
                states.add(HoldState.valueOf(f.state()));
            } catch (IllegalArgumentException e) {
                throw Refusal.badRequest("unknown state");
            }
        }
        Instant from = f.from() == null ? null : f.from().atStartOfDay(zone).toInstant();
        // "to" is a day the admin means to include: up to the start of the next one.
        Instant to = f.to() == null ? null : f.to().plusDays(1).atStartOfDay(zone).toInstant();
        try {
            return workflow.search(a, new HoldWorkflow.Query(states, from, to, blankToNull(f.sender()),
                    blankToNull(f.rule()), ConsoleLimits.LIST_LIMIT));
        } catch (WorkflowException e) {
            throw Refusal.of(e);
        }
    }

    PolicyStatus policy(Actor a) throws Refusal {
        require(a, Permission.POLICY_STATUS);
        return policy.status();
    }

    PolicyStatus reloadPolicy(Actor a) throws Refusal {
        require(a, Permission.POLICY_RELOAD);
        return policy.reload();
    }

    Collection<SmtpUser> users(Actor a) throws Refusal {
        require(a, Permission.USERS);
        return users.all();
    }

    /** The histories of the newest items, newest action first. */
    List<AdminViews.AuditLine> audit(Actor a) throws IOException, Refusal {
        require(a, Permission.AUDIT);
        List<AdminViews.AuditLine> lines = new ArrayList<>();
        try {
            for (HeldItem i : workflow.search(a, new HoldWorkflow.Query(Set.of(), null, null, null, null,
                    ConsoleLimits.AUDIT_ITEMS))) {
                for (HoldWorkflow.Transition t : workflow.detail(a, i.referenceId()).history()) {
                    lines.add(new AdminViews.AuditLine(i.referenceId(), t));
                }
            }
        } catch (WorkflowException e) {
            throw Refusal.of(e);
        }
        lines.sort(Comparator.comparing((AdminViews.AuditLine l) -> l.transition().at()).reversed());
        return lines;
    }

    /** Actions whose comment is a person's word to the sender (not the system's notes on timers or purges). */
    private static final Set<String> DECISIONS = Set.of("approve", "reject", "cancel");

    /** The last decision comment on each decided item of {@code items} (the sender sees the approver's comment). */
    Map<String, String> lastComments(Actor a, List<HeldItem> items) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (HeldItem i : items) {
            if (HoldState.HELD.name().equals(i.state())) {
                continue;
            }
            try {
                List<HoldWorkflow.Transition> h = workflow.detail(a, i.referenceId()).history();
                for (int k = h.size() - 1; k >= 0; k--) {
                    String c = h.get(k).comment();
                    if (DECISIONS.contains(h.get(k).action()) && c != null && !c.isBlank()) {
                        out.put(i.referenceId(), c);
                        break;
                    }
                }
            } catch (WorkflowException e) {
                // Listed a moment ago, gone or hidden now: no comment to show.
            }
        }
        return out;
    }

    static AdminViews.Filters filters(ConsoleRequest r) throws Refusal {
        return new AdminViews.Filters(blankToNull(r.param("state")), date(r.param("from")), date(r.param("to")),
                blankToNull(r.param("sender")), blankToNull(r.param("rule")));
    }

    private static LocalDate date(String s) throws Refusal {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw Refusal.badRequest("dates are YYYY-MM-DD");
        }
    }

    private static void require(Actor a, Permission p) throws Refusal {
        if (!p.allows(a)) {
            throw Refusal.forbidden(p.name());
        }
    }

    private static String reference(String ref) throws Refusal {
        if (ref == null || !REFERENCE.matcher(ref).matches()) {
            throw Refusal.notFound("no such item");
        }
        return ref;
    }

    private static String comment(String c) throws Refusal {
        String s = c == null ? "" : c.strip();
        if (s.length() > ConsoleLimits.MAX_COMMENT_CHARS) {
            throw Refusal.badRequest("comment longer than " + ConsoleLimits.MAX_COMMENT_CHARS + " characters");
        }
        return s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
