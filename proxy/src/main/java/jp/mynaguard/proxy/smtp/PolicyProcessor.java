package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.policy.rules.SideEffects;
import jp.mynaguard.proxy.hold.HoldDetails;
import jp.mynaguard.proxy.hold.HoldEvents;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldRequest;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.ops.GatewayMetrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of DATA: inspect and decide on a worker, then carry the decision out.
 * <ul>
 * <li>allow: relay through the open upstream transaction; the client gets the upstream's reply;</li>
 * <li>block: {@code 550 5.7.1 … Ref X}, the upstream transaction is abandoned;</li>
 * <li>quarantine / hold / approve: the (rewritten) copy is written to the hold store, which syncs
 * it, and only then {@code 250 2.0.0 Held for review, ref X}; a failed write is {@code 451}.</li>
 * </ul>
 * Notices go out afterwards and never delay the reply. Every path ends the upstream transaction
 * and deletes the spooled content.
 */
final class PolicyProcessor implements MessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(PolicyProcessor.class);
    static final SmtpReply BUSY = SmtpReply.of(451, "4.3.2", "System busy, try again later");
    static final SmtpReply FAILED = SmtpReply.of(451, "4.3.0", "Temporary local problem, try again later");
    static final SmtpReply HOLD_FAILED = SmtpReply.of(451, "4.3.0", "Message could not be stored for review, try again later");

    private final SmtpServerConfig config;
    private final Supplier<PolicySnapshot> policy;
    private final HoldStore holdStore;
    private final Executor workers;
    private final Clock clock;
    private final MessageRewriter rewriter;
    private final NoticeMailer notices;
    private final GatewayMetrics metrics;
    private final HoldEvents events;
    private final AuditSink audit;

    PolicyProcessor(SmtpServerConfig config, Supplier<PolicySnapshot> policy, HoldStore holdStore, Upstream upstream,
                    Executor workers, Clock clock, GatewayMetrics metrics, HoldEvents events, AuditSink audit) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.config = Objects.requireNonNull(config, "config");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.holdStore = Objects.requireNonNull(holdStore, "holdStore");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rewriter = new MessageRewriter(config.spoolThreshold(), config.spoolDirectory());
        this.notices = new NoticeMailer(upstream);
        this.events = Objects.requireNonNull(events, "events");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    static SmtpReply blocked(String ref, boolean personalData) {
        return SmtpReply.of(550, "5.7.1", personalData
                ? "Message refused: contains personal data (My Number). Ref " + ref
                : "Message refused by the data protection policy. Ref " + ref);
    }

    static SmtpReply held(String ref) {
        return SmtpReply.of(250, "2.0.0", "Held for review, ref " + ref);
    }

    @Override
    public CompletableFuture<SmtpReply> process(Submission s) {
        CompletableFuture<SmtpReply> reply = new CompletableFuture<>();
        try {
            workers.execute(() -> decide(s, reply));
        } catch (RejectedExecutionException e) {
            log.warn("ref {}: all workers busy, answering 451", s.referenceId());
            end(s, null);
            reply.complete(BUSY);
        }
        return reply;
    }

    private void decide(Submission s, CompletableFuture<SmtpReply> reply) {
        SpooledMessage copy = null;
        try {
            // One snapshot for the whole message: a reload in the middle must not mix two policies.
            PolicySnapshot active = policy.get();
            long started = System.nanoTime();
            MessageInspector.Inspection in = MessageInspector.inspect(s, active, clock);
            metrics.inspected(jp.mynaguard.policy.rules.Channel.SMTP, in.scan(), System.nanoTime() - started);
            if (!MessageInspector.fromOwned(s, in.headers(), config.senderCheck())) {
                log.info("ref {} client {} user {}: From header not the user's, refused", s.referenceId(), s.client(),
                        s.identity().userName());
                end(s, null);
                reply.complete(SmtpReply.of(550, "5.7.1",
                        "Message refused: From address not owned by the authenticated user. Ref " + s.referenceId()));
                return;
            }
            Decision d = in.decision().enforced();
            if (reply.isDone()) {
                // The session gave up waiting (decision timeout) and answered 451: do not act behind its back.
                end(s, null);
                return;
            }
            if (d.action() == Action.BLOCK) {
                end(s, null);
                SmtpReply r = blocked(s.referenceId(), !in.scan().findings().isEmpty());
                logDecision(s, in, d, r);
                if (HeldMessageDetails.noApproverFallback(d)) {
                    approvalBlocked(s, in, d);
                }
                reply.complete(r);
                notify(s, in, d, active);
                return;
            }
            copy = rewriter.apply(s.message().content(), d);
            if (d.action() == Action.ALLOW) {
                relay(s, in, d, copy, reply);
                copy = null;
                return;
            }
            SmtpReply r = hold(s, in, d, copy == null ? s.message() : copy, active);
            end(s, copy);
            copy = null;
            logDecision(s, in, d, r);
            reply.complete(r);
            if (r.positive()) {
                notify(s, in, d, active);
            }
        } catch (IOException | RuntimeException e) {
            log.error("ref {}: cannot decide on the message: {}", s.referenceId(), e.toString());
            end(s, copy);
            reply.complete(FAILED);
        }
    }

    /** Before-queue relay: the reply is the upstream's. */
    private void relay(Submission s, MessageInspector.Inspection in, Decision d, SpooledMessage copy,
                       CompletableFuture<SmtpReply> reply) {
        SpooledMessage out = copy == null ? s.message() : copy;
        CompletableFuture<SmtpReply> sent;
        try {
            sent = s.upstream().data(out.content());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((r, error) -> {
            SmtpReply answer = error != null || r == null ? MailCommands.UPSTREAM_UNAVAILABLE : r;
            if (error != null) {
                log.warn("ref {}: upstream failed: {}", s.referenceId(), error.toString());
            }
            // data() ended the upstream transaction.
            closeQuietly(s.message());
            closeQuietly(copy);
            logDecision(s, in, d, answer);
            reply.complete(answer);
        });
    }

    /**
     * Durable before acknowledged: the store returns only after the item is synced. An approval
     * with nobody eligible to decide it is refused instead (fail closed) and the admins are told.
     */
    private SmtpReply hold(Submission s, MessageInspector.Inspection in, Decision d, SpooledMessage content,
                           PolicySnapshot active) {
        Instant now = Instant.now(clock);
        String sender = in.senderAddress() == null ? "" : in.senderAddress();
        boolean senderNotified = in.senderAddress() != null
                && d.effects().notifyTargets().contains(SideEffects.NotifyTarget.SENDER);
        try {
            HoldDetails details = HeldMessageDetails.of(d, in, sender, s.recipients(), s.identity()::owns,
                    active.policy().organization(),
                    content.content(), now, senderNotified);
            if (d.action() == Action.APPROVE && details.approvers().isEmpty()) {
                log.warn("ref {}: rule {} asks for approval but nobody besides the sender and the recipients may give it;"
                        + " refused", s.referenceId(), d.ruleName());
                approvalBlocked(s, in, d);
                return blocked(s.referenceId(), !in.scan().findings().isEmpty());
            }
            HoldRequest request = new HoldRequest(s.referenceId(), kind(d.action()), "smtp", sender, s.recipients(),
                    d.ruleName(), d.policyVersion(), FindingsSummary.of(in.scan()), s.receivedAt(),
                    d.action() == Action.HOLD && d.holdDelay() != null ? now.plus(d.holdDelay()) : null,
                    content.content(), details);
            holdStore.hold(request);
            return held(s.referenceId());
        } catch (IOException | RuntimeException e) {
            log.error("ref {}: hold store failed, answering 451: {}", s.referenceId(), e.toString());
            return HOLD_FAILED;
        }
    }

    private void approvalBlocked(Submission s, MessageInspector.Inspection in, Decision d) {
        try {
            events.approvalBlocked(s.referenceId(), d.ruleName(), NumberGuard.redact(
                    in.senderAddress() == null ? "" : in.senderAddress()), s.recipients().size(),
                    FindingsSummary.of(in.scan()));
        } catch (RuntimeException e) {
            log.warn("ref {}: could not tell the admins about the refused approval: {}", s.referenceId(), e.toString());
        }
    }

    static HoldKind kind(Action a) {
        return switch (a) {
            case QUARANTINE -> HoldKind.QUARANTINE;
            case HOLD -> HoldKind.HOLD;
            case APPROVE -> HoldKind.APPROVE;
            default -> throw new IllegalArgumentException("not a holding action: " + a);
        };
    }

    private void notify(Submission s, MessageInspector.Inspection in, Decision d, PolicySnapshot active) {
        Set<SideEffects.NotifyTarget> targets = d.effects().notifyTargets();
        if (targets.isEmpty()) {
            return;
        }
        SenderNotice.Facts facts = new SenderNotice.Facts(s.referenceId(), d.action(), d.ruleName(), d.reason(),
                in.scan().findings(), in.scan().unscannable(), in.senderAddress(), s.recipients(), s.receivedAt(),
                active.policy().zone(), d.holdDelay(), d.approvers());
        Set<String> security = new LinkedHashSet<>();
        if (targets.contains(SideEffects.NotifyTarget.SECURITY)) {
            security.addAll(active.policy().organization().securityTeam());
        }
        List<Runnable> sends = new ArrayList<>();
        if (targets.contains(SideEffects.NotifyTarget.SENDER) && in.senderAddress() != null) {
            sends.add(() -> send(s, facts, SenderNotice.Audience.SENDER, in.senderAddress()));
        }
        for (String to : security) {
            sends.add(() -> send(s, facts, SenderNotice.Audience.SECURITY, to));
        }
        sends.forEach(Runnable::run);
    }

    private void send(Submission s, SenderNotice.Facts facts, SenderNotice.Audience audience, String to) {
        try {
            byte[] mail = SenderNotice.build(facts, audience, config.noticeFrom(), to, config.hostname());
            notices.send(s.referenceId(), to, mail);
        } catch (IOException | RuntimeException e) {
            log.warn("ref {}: cannot send a notice to {}: {}", s.referenceId(), NumberGuard.redact(to), e.toString());
        }
    }

    private void logDecision(Submission s, MessageInspector.Inspection in, Decision d, SmtpReply r) {
        metrics.decided(jp.mynaguard.policy.rules.Channel.SMTP, d.action());
        Decision matched = in.decision();
        String audit = matched.mode() == jp.mynaguard.policy.rules.Mode.AUDIT
                ? " [audit rule " + matched.ruleName() + " would " + matched.action() + "]" : "";
        log.info("ref {} client {} user {} from {} rcpts {} size {}: {} by rule {}{} ({}; policy {}) -> {}",
                s.referenceId(), s.client(), s.identity().userName() == null ? "-" : s.identity().userName(),
                NumberGuard.redact(s.mailFrom().isEmpty() ? "<>" : s.mailFrom()), s.recipients().size(),
                s.clientBytes(), d.action(), d.ruleName(), audit, FindingsSummary.of(in.scan()),
                d.policyVersion().substring(0, Math.min(12, d.policyVersion().length())), r.code());
        this.audit.record(SmtpAudit.decision(s, in, r, Instant.now(clock)));
    }

    /** Abandons the upstream transaction and deletes the content (and its rewritten copy). */
    private static void end(Submission s, SpooledMessage copy) {
        if (s.upstream() != null) {
            try {
                s.upstream().abort();
            } catch (RuntimeException e) {
                log.debug("aborting the upstream transaction", e);
            }
        }
        closeQuietly(s.message());
        closeQuietly(copy);
    }

    private static void closeQuietly(SpooledMessage m) {
        if (m != null) {
            m.close();
        }
    }
}
