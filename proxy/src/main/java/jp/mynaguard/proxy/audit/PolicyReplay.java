package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.extract.UnscannableReason;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.rules.PolicyEngine;

/**
 * Decides recorded traffic again under another policy: the envelope and the finding counts of each
 * decision record (never content, which is not kept) go through the new policy's engine at the
 * record's own time, and every decision that would come out differently is counted by what it was
 * and what it would be, with example reference ids.
 *
 * <p>What can not be replayed: the allow list (no digits are kept, so the recorded policy's
 * allow-listing stands), detector keywords (the levels are as detected then), and anything the
 * record does not hold (a record without decision inputs is skipped and counted).
 */
public final class PolicyReplay {
    private PolicyReplay() {
    }

    /** Rule and action, as a decision's outcome. */
    public record Outcome(String rule, String action) {
        @Override
        public String toString() {
            return rule + " (" + action + ")";
        }
    }

    /** Decisions that move from one outcome to another. */
    public record Change(Outcome before, Outcome after, int count, List<String> examples) {
    }

    /**
     * What replay found.
     *
     * @param actionsBefore count per action as recorded
     * @param actionsAfter  count per action under the new policy
     * @param auditBefore   per audit-mode rule, how many decisions it matched (would have acted on), as recorded
     * @param auditAfter    the same under the new policy
     */
    public record Result(int replayed, int unchanged, int skipped, Instant first, Instant last, List<Change> changes,
                         Map<String, Integer> actionsBefore, Map<String, Integer> actionsAfter,
                         Map<String, Integer> auditBefore, Map<String, Integer> auditAfter) {
    }

    public static Result run(List<Path> files, Instant since, Instant until, Policy policy, int examples)
            throws IOException {
        Map<String, ChangeBuilder> changes = new TreeMap<>();
        Map<String, Integer> before = new TreeMap<>();
        Map<String, Integer> after = new TreeMap<>();
        Map<String, Integer> auditBefore = new TreeMap<>();
        Map<String, Integer> auditAfter = new TreeMap<>();
        int[] counts = new int[3];
        Instant[] span = new Instant[2];
        AuditQuery q = new AuditQuery(since, until, null, null, null, null, AuditEvent.DECISION, null);
        q.scan(files, found -> {
            Map<String, Object> r = found.record();
            Instant t = found.time();
            Envelope env = envelope(r);
            if (env == null || t == null || r.get(DecisionRecord.RULE) == null) {
                counts[2]++;
                return;
            }
            Decision d = PolicyEngine.of(policy, Clock.fixed(t, ZoneOffset.UTC))
                    .decide(env, findings(r), unscannable(r));
            Outcome was = new Outcome(String.valueOf(r.get(DecisionRecord.RULE)), String.valueOf(r.get(DecisionRecord.ACTION)));
            Outcome now = new Outcome(d.enforced().ruleName(), d.enforced().action().label());
            counts[0]++;
            span[0] = span[0] == null || t.isBefore(span[0]) ? t : span[0];
            span[1] = span[1] == null || t.isAfter(span[1]) ? t : span[1];
            before.merge(was.action(), 1, Integer::sum);
            after.merge(now.action(), 1, Integer::sum);
            if (r.get(DecisionRecord.AUDIT_RULE) != null) {
                auditBefore.merge(r.get(DecisionRecord.AUDIT_RULE) + " (" + r.get(DecisionRecord.AUDIT_ACTION) + ")", 1,
                        Integer::sum);
            }
            if (d.mode() == jp.mynaguard.policy.rules.Mode.AUDIT) {
                auditAfter.merge(d.ruleName() + " (" + d.action().label() + ")", 1, Integer::sum);
            }
            if (was.equals(now)) {
                counts[1]++;
                return;
            }
            ChangeBuilder c = changes.computeIfAbsent(was + " -> " + now, k -> new ChangeBuilder(was, now));
            c.count++;
            if (c.examples.size() < examples && r.get("ref") != null) {
                c.examples.add(String.valueOf(r.get("ref")));
            }
        });
        List<Change> list = new ArrayList<>();
        changes.values().stream().sorted((a, b) -> Integer.compare(b.count, a.count))
                .forEach(c -> list.add(new Change(c.before, c.after, c.count, List.copyOf(c.examples))));
        return new Result(counts[0], counts[1], counts[2], span[0], span[1], list, before, after, auditBefore, auditAfter);
    }

    private static final class ChangeBuilder {
        final Outcome before;
        final Outcome after;
        int count;
        final List<String> examples = new ArrayList<>();

        ChangeBuilder(Outcome before, Outcome after) {
            this.before = before;
            this.after = after;
        }
    }

    /** The envelope as recorded; {@code null} when the record does not carry the decision inputs. */
    static Envelope envelope(Map<String, Object> r) {
        if (!(r.get(DecisionRecord.MY_NUMBERS) instanceof Long)) {
            return null;
        }
        Object channel = r.get("channel");
        Envelope.Builder b;
        if ("smtp".equals(channel)) {
            b = Envelope.smtp();
            if (r.get(DecisionRecord.RECIPIENTS) instanceof List<?> rc) {
                rc.forEach(a -> b.recipient(String.valueOf(a)));
            }
        } else if ("http".equals(channel)) {
            b = Envelope.http().httpHost(text(r.get(DecisionRecord.HOST))).httpMethod(text(r.get(DecisionRecord.METHOD)))
                    .httpPath(text(r.get(DecisionRecord.PATH)));
        } else {
            return null;
        }
        b.sender(text(r.get(DecisionRecord.SENDER))).authenticatedUser(text(r.get("user")));
        if (r.get(DecisionRecord.SIZE) instanceof Long size) {
            b.size(size);
        }
        if (r.get(DecisionRecord.ATTACHMENTS) instanceof List<?> files) {
            for (Object o : files) {
                if (o instanceof Map<?, ?> m) {
                    b.attachment(text(m.get("name")), text(m.get("type")));
                }
            }
        }
        return b.build();
    }

    /**
     * Stand-ins for the recorded findings: one per distinct number, with its type and level. They
     * hold no digits (so no allow-list shape can match them: what the recorded policy allow-listed
     * is left out instead).
     */
    static List<Finding> findings(Map<String, Object> r) {
        List<Finding> out = new ArrayList<>();
        Map<?, ?> all = r.get(DecisionRecord.FINDINGS) instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> allowed = r.get(DecisionRecord.ALLOW_LISTED) instanceof Map<?, ?> m ? m : Map.of();
        for (Map.Entry<?, ?> byType : all.entrySet()) {
            FindingType type;
            try {
                type = FindingType.valueOf(String.valueOf(byType.getKey()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!(byType.getValue() instanceof Map<?, ?> levels)) {
                continue;
            }
            Map<?, ?> allowedLevels = allowed.get(byType.getKey()) instanceof Map<?, ?> a ? a : Map.of();
            for (Map.Entry<?, ?> byLevel : levels.entrySet()) {
                Level level;
                try {
                    level = Level.valueOf(String.valueOf(byLevel.getKey()));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                long n = byLevel.getValue() instanceof Long c ? c : 0;
                if (allowedLevels.get(byLevel.getKey()) instanceof Long a) {
                    n -= a;
                }
                // A record is our own, but a damaged one must not make replay build millions of objects.
                n = Math.min(n, AuditLimits.REPLAY_MAX_FINDINGS - out.size());
                for (long i = 0; i < n; i++) {
                    out.add(new Finding(type, level, "replay", List.of("replayed from the audit trail"), "", 1));
                }
            }
        }
        return out;
    }

    static List<Unscannable> unscannable(Map<String, Object> r) {
        List<Unscannable> out = new ArrayList<>();
        if (r.get(DecisionRecord.UNSCANNABLE) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    try {
                        out.add(new Unscannable(text(m.get("location")) == null ? "" : text(m.get("location")),
                                UnscannableReason.ofLabel(text(m.get("reason"))), "replayed"));
                    } catch (IllegalArgumentException e) {
                        // A reason this version does not know: leave it out.
                    }
                }
            }
        }
        return out;
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
