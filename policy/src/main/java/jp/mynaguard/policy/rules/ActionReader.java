package jp.mynaguard.policy.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads actions ({@code action: block} or {@code action: {type: approve, ...}}) and side effects. */
final class ActionReader {
    static final Map<String, Action> ACTIONS = new LinkedHashMap<>();
    private static final Map<String, ApprovalSpec.ExpiryOutcome> EXPIRY = new LinkedHashMap<>();
    private static final Map<String, Action> NO_APPROVER = new LinkedHashMap<>();
    private static final Map<String, SideEffects.NotifyTarget> NOTIFY = new LinkedHashMap<>();

    static {
        for (Action a : Action.values()) {
            ACTIONS.put(a.label(), a);
        }
        for (ApprovalSpec.ExpiryOutcome o : ApprovalSpec.ExpiryOutcome.values()) {
            EXPIRY.put(o.label(), o);
        }
        NO_APPROVER.put("block", Action.BLOCK);
        NO_APPROVER.put("quarantine", Action.QUARANTINE);
        for (SideEffects.NotifyTarget t : SideEffects.NotifyTarget.values()) {
            NOTIFY.put(t.label(), t);
        }
    }

    private final LoadContext ctx;

    ActionReader(LoadContext ctx) {
        this.ctx = ctx;
    }

    /** The action under {@code key} of {@code f}; {@code null} after an error. */
    ActionSpec action(Fields f, String key) {
        Node n = f.node(key);
        if (n instanceof ScalarNode) {
            Action a = f.choice(key, ACTIONS, null);
            return a == null ? null : ActionSpec.of(a);
        }
        Fields a = f.fields(key, PolicyKeys.ACTION);
        if (a == null || !a.require("type")) {
            return null;
        }
        Action type = a.choice("type", ACTIONS, null);
        if (type == null) {
            return null;
        }
        if (a.has("delay") && type != Action.HOLD) {
            a.error("delay", "'delay' applies only to type: hold");
        }
        for (String k : PolicyKeys.APPROVAL_ONLY) {
            if (a.has(k) && type != Action.APPROVE) {
                ctx.out().error(a.keyAt(k), "'" + k + "' applies only to type: approve");
            }
        }
        Duration delay = type == Action.HOLD
                ? a.duration("delay", PolicyLimits.DEFAULT_HOLD_DELAY, PolicyLimits.MAX_HOLD_DELAY) : null;
        ApprovalSpec approval = type == Action.APPROVE ? approval(a) : null;
        return new ActionSpec(type, a.localized("reason"), delay, approval);
    }

    private ApprovalSpec approval(Fields a) {
        List<ApproverSource> approvers = a.has("approvers") ? sources(a, "approvers") : ApprovalSpec.DEFAULTS.approvers();
        List<ApproverSource> backups = sources(a, "backup_approvers");
        Duration expire = a.duration("expire_after", PolicyLimits.DEFAULT_APPROVAL_EXPIRY,
                PolicyLimits.MAX_APPROVAL_EXPIRY);
        Duration remind = a.duration("remind_before", PolicyLimits.DEFAULT_APPROVAL_REMINDER,
                PolicyLimits.MAX_APPROVAL_EXPIRY);
        if (remind.compareTo(expire) >= 0) {
            if (a.has("remind_before")) {
                a.error("remind_before", "'remind_before' (" + Fields.human(remind)
                        + ") must be shorter than 'expire_after' (" + Fields.human(expire) + ")");
            }
            remind = Duration.ZERO;
        }
        Action onNoApprover;
        if (a.node("on_no_approver") instanceof ScalarNode s && s.getValue().equalsIgnoreCase("release")) {
            a.error("on_no_approver", "'on_no_approver' cannot deliver a message nobody approved;"
                    + " choose block or quarantine");
            onNoApprover = Action.BLOCK;
        } else {
            onNoApprover = a.choice("on_no_approver", NO_APPROVER, Action.BLOCK);
        }
        return new ApprovalSpec(approvers, backups, expire, remind,
                a.choice("on_expiry", EXPIRY, ApprovalSpec.ExpiryOutcome.REJECT), onNoApprover);
    }

    private List<ApproverSource> sources(Fields a, String key) {
        List<ApproverSource> result = new ArrayList<>();
        for (YamlReader.Scalar s : a.texts(key)) {
            String v = s.value().trim();
            if (v.equals("sender_group")) {
                result.add(ApproverSource.SENDER_GROUP_APPROVERS);
            } else if (v.equals("manager")) {
                result.add(ApproverSource.MANAGER);
            } else if (v.startsWith("group:")) {
                String group = v.substring("group:".length());
                ctx.referGroup(group, s.at(), "'" + key + "'");
                result.add(ApproverSource.group(group));
            } else if (v.contains("@")) {
                String address = ctx.address(s, "an entry of '" + key + "'");
                if (address != null) {
                    ctx.referUser(address, s.at(), "approver");
                    result.add(ApproverSource.user(address));
                }
            } else {
                ctx.out().error(s.at(), "'" + key + "' entries are sender_group, manager, group:NAME or a"
                        + " user's address" + Suggestions.didYouMean(v, List.of("sender_group", "manager")));
            }
        }
        if (result.isEmpty() && a.has(key) && key.equals("approvers")) {
            a.error(key, "'approvers' needs at least one entry");
        }
        return result;
    }

    /** Side effects written beside an action (in a rule or in {@code default}). */
    SideEffects effects(Fields f, boolean haveSecurityTeam) {
        Set<SideEffects.NotifyTarget> notify = EnumSet.noneOf(SideEffects.NotifyTarget.class);
        for (Node n : f.items("notify")) {
            SideEffects.NotifyTarget t = f.choice(n, "an entry of 'notify'", NOTIFY, null);
            if (t == SideEffects.NotifyTarget.SECURITY && !haveSecurityTeam) {
                f.reader().error(n, "'notify: security' needs organization.security_team");
            }
            if (t != null) {
                notify.add(t);
            }
        }
        int bcc = f.integer("bcc_when_external_at_least", 1, 100_000, 0);
        Map<String, String> headers = new LinkedHashMap<>();
        Node h = f.node("add_headers");
        if (h != null) {
            if (h instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    String name = f.reader().text(t.getKeyNode(), "a header name");
                    String value = f.reader().text(t.getValueNode(), "a header value");
                    if (name != null && !name.matches("[A-Za-z0-9-]{1,76}")) {
                        f.reader().error(t.getKeyNode(), "a header name is letters, digits and '-', e.g. X-Mynaguard-Checked");
                    } else if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
                        f.reader().error(t.getValueNode(), "a header value must be one line");
                    } else if (name != null && value != null && headers.putIfAbsent(name, value) != null) {
                        f.reader().error(t.getKeyNode(), "duplicate header '" + name + "'");
                    }
                }
            } else {
                f.error("add_headers", "'add_headers' must be a mapping of header name to value");
            }
        }
        String tag = f.text("subject_tag", "");
        if (tag.indexOf('\r') >= 0 || tag.indexOf('\n') >= 0) {
            f.error("subject_tag", "'subject_tag' must be one line");
            tag = "";
        }
        SideEffects.Incident incident = !f.has("incident") ? SideEffects.Incident.AUTO
                : f.bool("incident", true) ? SideEffects.Incident.YES : SideEffects.Incident.NO;
        return new SideEffects(notify, bcc, headers, tag, incident);
    }
}
