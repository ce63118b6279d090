package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.policy.rules.PolicyEngine;
import jp.mynaguard.policy.scan.ScanReport;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldRequest;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.smtp.FindingsSummary;
import jp.mynaguard.proxy.smtp.PolicySnapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scan and decide for one request, on a worker: the same scanner and policy engine as mail (one
 * {@link PolicySnapshot} per request), the envelope of an upload (user, method, host, path,
 * size, uploaded files), then what to answer:
 * <ul>
 * <li>allow: forward;</li>
 * <li>block: 403 page;</li>
 * <li>quarantine (and hold, which cannot be released later for an upload): kept in the hold
 * store as evidence, then the 403 page; a store failure is 503, never a forward;</li>
 * <li>approve: forward once if an approver approved the same body from the same user to the same
 * host within the window ({@link HoldStore#consumeApproval}); else kept in the hold store and
 * the 403 page with the approval button.</li>
 * </ul>
 * Every decision on a request with a body, and every one that is not a plain allow, is recorded
 * in the audit trail (counts, types, levels; never digits).
 */
final class UploadDecider {
    private final jp.mynaguard.proxy.ops.GatewayMetrics metrics;
    private static final Logger log = LoggerFactory.getLogger(UploadDecider.class);

    /** One request to decide on. */
    record Upload(String referenceId, ProxyUser user, String method, RequestTarget target, String contentType,
                  String contentEncoding, SpooledRequest body, Instant receivedAt, boolean wantsJson, String client) {
    }

    /** What to do: forward ({@code response == null}), or answer with {@code response}. */
    record Outcome(FullHttpResponse response, String approvalUsed) {
        static Outcome forward(String approvalUsed) {
            return new Outcome(null, approvalUsed);
        }

        static Outcome respond(FullHttpResponse r) {
            return new Outcome(r, null);
        }
    }

    private final HttpProxyConfig config;
    private final Supplier<PolicySnapshot> policy;
    private final HoldStore holds;
    private final AuditSink audit;
    private final Clock clock;
    /** Where a form's canonical copy for the hold store is made (off the disk). */
    private final BodyMemory bodyMemory;

    UploadDecider(HttpProxyConfig config, Supplier<PolicySnapshot> policy, HoldStore holds, AuditSink audit, Clock clock,
                  jp.mynaguard.proxy.ops.GatewayMetrics metrics, BodyMemory bodyMemory) {
        this.bodyMemory = bodyMemory;
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
        this.config = config;
        this.policy = policy;
        this.holds = holds;
        this.audit = audit;
        this.clock = clock;
    }

    Outcome decide(Upload u) throws IOException {
        PolicySnapshot active = policy.get();
        long started = System.nanoTime();
        ScanReport scan = active.scanner().scan(Format.HTTP_REQUEST, "", "request.http", u.body().content());
        metrics.inspected(jp.mynaguard.policy.rules.Channel.HTTP, scan, System.nanoTime() - started);
        Envelope.Builder env = Envelope.http()
                .httpMethod(u.method())
                .httpHost(u.target().origin().host())
                .httpPath(u.target().pathOnly())
                .authenticatedUser(u.user().login())
                .sender(u.user().address())
                .size(u.body().bodyLength());
        if (u.body().bodyLength() > 0) {
            try (InputStream in = u.body().openBody()) {
                for (Envelope.Attachment a : UploadedFiles.list(u.contentType(), u.contentEncoding(),
                        u.target().pathOnly(), in)) {
                    env.attachment(a.name(), a.contentType());
                }
            }
        }
        Decision matched = PolicyEngine.of(active.policy(), clock).decide(env.build(), scan.findings(), scan.unscannable());
        Decision d = matched.enforced();
        metrics.decided(jp.mynaguard.policy.rules.Channel.HTTP, d.action());
        Outcome outcome;
        String heldRef = null;
        String approvalUsed = null;
        switch (d.action()) {
            case ALLOW -> outcome = Outcome.forward(null);
            case BLOCK -> outcome = page(u, d, scan, active);
            case APPROVE -> {
                approvalUsed = approvalFor(u);
                if (approvalUsed != null) {
                    outcome = Outcome.forward(approvalUsed);
                } else {
                    heldRef = hold(u, d, scan, HoldKind.APPROVE);
                    outcome = heldRef == null ? storeFailed(u) : page(u, d, scan, active);
                }
            }
            default -> {
                // QUARANTINE, and HOLD: an upload cannot be sent later, so it is kept as evidence like a quarantine.
                heldRef = hold(u, d, scan, HoldKind.QUARANTINE);
                outcome = heldRef == null ? storeFailed(u) : page(u, d, scan, active);
            }
        }
        record(u, matched, d, scan, heldRef, approvalUsed);
        return outcome;
    }

    /** The reference of the approval this request consumed, or null. Needs a known sender. */
    private String approvalFor(Upload u) throws IOException {
        String sender = sender(u.user());
        if (sender.isEmpty()) {
            return null;
        }
        Instant since = Instant.now(clock).minus(config.approvalWindow());
        String hash = CanonicalBody.sha256(u.body().openBody(), u.contentType());
        Optional<HeldItem> used = holds.consumeApproval(sender, u.target().origin().host(), hash, since);
        return used.map(HeldItem::referenceId).orElse(null);
    }

    /** Stores the body; the reference on success, null when the store failed. */
    private String hold(Upload u, Decision d, ScanReport scan, HoldKind kind) {
        // The canonical body (a form's boundary made constant), so that its hash is the approval's key.
        try (CanonicalBody.Copy canonical = CanonicalBody.forHold(u.body().body(), u.contentType(), bodyMemory)) {
            holds.hold(new HoldRequest(u.referenceId(), kind, "http", sender(u.user()),
                    List.of(u.target().origin().host()), d.ruleName(), d.policyVersion(), FindingsSummary.of(scan),
                    u.receivedAt(), null, canonical.source()));
            return u.referenceId();
        } catch (IOException | RuntimeException e) {
            log.error("ref {}: hold store failed, answering 503: {}", u.referenceId(), e.toString());
            return null;
        }
    }

    /** The held item's sender: the user's address, else the login, else empty (anonymous). */
    static String sender(ProxyUser user) {
        if (user.address() != null) {
            return user.address();
        }
        return user.login() == null ? "" : user.login();
    }

    private Outcome page(Upload u, Decision d, ScanReport scan, PolicySnapshot active) {
        String contact = config.contact() != null ? config.contact()
                : String.join(", ", active.policy().organization().securityTeam());
        ProxyPages.DecisionFacts facts = new ProxyPages.DecisionFacts(u.referenceId(),
                d.action(), d.ruleName(), d.reason(), scan.findings(), scan.unscannable(), u.target().origin().host(),
                contact.isEmpty() ? null : contact, config.approvalWindow().toMinutes());
        return Outcome.respond(ProxyPages.decision(facts, u.wantsJson()));
    }

    private static Outcome storeFailed(Upload u) {
        return Outcome.respond(ProxyPages.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "アップロードを保管できなかったため、送信しませんでした。しばらくしてからもう一度送信してください。",
                "The upload could not be stored for review and was not sent. Please try again later.",
                u.referenceId(), u.wantsJson()));
    }

    private void record(Upload u, Decision matched, Decision d, ScanReport scan, String heldRef, String approvalUsed) {
        boolean interesting = u.body().bodyLength() > 0 || d.action() != Action.ALLOW || !scan.findings().isEmpty()
                || !scan.unscannable().isEmpty();
        if (!interesting) {
            return;
        }
        String audited = matched.mode() == jp.mynaguard.policy.rules.Mode.AUDIT
                ? " [audit rule " + matched.ruleName() + " would " + matched.action() + "]" : "";
        log.info("ref {} client {} user {} {} {}{} size {}: {} by rule {}{} ({}){}", u.referenceId(), u.client(),
                u.user().login() == null ? "-" : u.user().login(), u.method(), u.target().origin().host(),
                NumberGuard.redact(u.target().pathOnly()), u.body().bodyLength(), d.action(), d.ruleName(), audited,
                FindingsSummary.of(scan), approvalUsed == null ? "" : " using approval " + approvalUsed);
        Map<String, Integer> counts = new TreeMap<>();
        for (Finding f : scan.findings()) {
            counts.merge(f.type() + " " + f.level(), 1, Integer::sum);
        }
        audit.record(AuditEvent.of(AuditEvent.DECISION).channel("http").ref(u.referenceId()).user(u.user().login())
                .field("sender", u.user().address())
                .field("client", u.client())
                .field("method", u.method())
                .field("host", u.target().origin().host())
                .field("path", NumberGuard.redact(u.target().pathOnly()))
                .field("size", u.body().bodyLength())
                .field("rule", d.ruleName())
                .action(d.action().label())
                .field("mode", matched.mode() == jp.mynaguard.policy.rules.Mode.AUDIT ? "audit" : null)
                .field("findings", counts)
                .field("unscannable", scan.unscannable().size())
                .field("held", heldRef)
                .field("approval_used", approvalUsed)
                .field("policy_version", d.policyVersion())
                .build());
    }
}
