package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome;
import jp.mynaguard.proxy.ReferenceId;
import jp.mynaguard.proxy.smtp.Upstream;
import jp.mynaguard.proxy.smtp.upstream.SmtpUpstream;
import jp.mynaguard.proxy.smtp.upstream.TlsMode;
import jp.mynaguard.proxy.smtp.upstream.UpstreamConfig;

/**
 * A workflow on a real store with a clock the test moves, recording notifier and audit sink,
 * and (when given a sink port) the real upstream client talking SMTP to it.
 */
final class WorkflowFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");

    static final Actor TANAKA = new Actor("tanaka", "tanaka@example.co.jp", Set.of(Role.SENDER));
    static final Actor YAMADA = new Actor("yamada", "yamada@example.co.jp", Set.of(Role.SENDER, Role.APPROVER));
    static final Actor SUZUKI = new Actor("suzuki", "suzuki@example.co.jp", Set.of(Role.SENDER, Role.APPROVER));
    static final Actor KIMURA = new Actor("kimura", "kimura@example.co.jp", Set.of(Role.SENDER, Role.APPROVER));
    static final Actor ADMIN = new Actor("admin", "admin@example.co.jp", Set.of(Role.SENDER, Role.ADMIN));
    static final Actor AUDITOR = new Actor("audit", "audit@example.co.jp", Set.of(Role.SENDER, Role.AUDITOR));
    static final Actor REVEALER = new Actor("kato", "kato@example.co.jp", Set.of(Role.SENDER, Role.ADMIN, Role.REVEAL));

    final MutableClock clock = new MutableClock(T0);
    final RecordingNotifier notifier = new RecordingNotifier();
    final RecordingAudit audit = new RecordingAudit();
    final HoldStore store;
    final HoldSettings settings;
    final ApprovalWorkflow workflow;
    final HoldScheduler scheduler;
    private final Upstream upstream;

    WorkflowFixture(HoldStore store, Upstream upstream, HoldSettings settings, String owner) {
        this.store = store;
        this.upstream = upstream;
        this.settings = settings;
        this.workflow = new ApprovalWorkflow(store, settings, notifier, audit, clock,
                () -> List.of("security@example.co.jp"));
        this.scheduler = new HoldScheduler(store, upstream, settings, notifier, audit, clock,
                () -> List.of("security@example.co.jp"), owner);
    }

    static HoldSettings.Builder settings() {
        return HoldSettings.builder().hostname("mynaguard.test").zone(ZoneId.of("Asia/Tokyo"))
                .consoleUrl("https://console.example.co.jp:8025");
    }

    /** A workflow on a fresh SQLite store under {@code dir}; releases go to the sink on {@code sinkPort} (0: none). */
    static WorkflowFixture sqlite(Path dir, int sinkPort) throws IOException {
        return new WorkflowFixture(SqliteHoldStore.open(dir), upstream(sinkPort), settings().spoolDirectory(dir).build(),
                "test-instance");
    }

    /** The real upstream client, plain SMTP to the sink on loopback. */
    static Upstream upstream(int sinkPort) {
        UpstreamConfig.Builder b = UpstreamConfig.builder("127.0.0.1", sinkPort == 0 ? 9 : sinkPort)
                .tls(TlsMode.NONE).ehloName("mynaguard.test").connectTimeout(Duration.ofSeconds(5))
                .commandTimeout(Duration.ofSeconds(20));
        return new SmtpUpstream(b.build());
    }

    static byte[] message(String ref) {
        return ("From: tanaka@example.co.jp\r\nTo: partner@outside.test\r\nSubject: 名簿 " + ref
                + "\r\nMessage-ID: <" + ref + "@example.co.jp>\r\n\r\nマイナンバー: 0858-1525-1054\r\n.dot line\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Holds an approval of tanaka's to {@code recipients}, decided by {@code approvers}, backups {@code backups}. */
    String approval(List<String> recipients, List<String> approvers, List<String> backups, ExpiryOutcome onExpiry)
            throws IOException {
        Instant expires = clock.instant().plus(Duration.ofDays(3));
        Instant remind = expires.minus(Duration.ofDays(1));
        HoldDetails d = new HoldDetails("名簿", List.of(new HoldWorkflow.Attachment("名簿.csv", 44)),
                List.of(new HoldWorkflow.Finding("MY_NUMBER", "HIGH", "body", "****-****-****",
                        "マイナンバー: ****-****-****")),
                approvers, backups, recipients.stream().filter(r -> !r.endsWith("@example.co.jp")).toList(), remind,
                backups.isEmpty() ? null : remind, expires, onExpiry, true, false);
        return hold(HoldKind.APPROVE, recipients, null, d);
    }

    String approval() throws IOException {
        return approval(List.of("partner@outside.test", "colleague@example.co.jp"), List.of("yamada@example.co.jp"),
                List.of("suzuki@example.co.jp"), ExpiryOutcome.REJECT);
    }

    String quarantine() throws IOException {
        return hold(HoldKind.QUARANTINE, List.of("partner@outside.test"), null, HoldDetails.NONE);
    }

    String timedHold(Duration delay) throws IOException {
        return hold(HoldKind.HOLD, List.of("partner@outside.test"), clock.instant().plus(delay), HoldDetails.NONE);
    }

    String hold(HoldKind kind, List<String> recipients, Instant releaseAfter, HoldDetails details) throws IOException {
        String ref = ReferenceId.next();
        store.hold(new HoldRequest(ref, kind, "smtp", "tanaka@example.co.jp", recipients, "rule-" + kind.name()
                .toLowerCase(java.util.Locale.ROOT), "sha256:policy", "MY_NUMBER HIGH x1 (body)", clock.instant(),
                releaseAfter, InputSource.of(message(ref)), details));
        return ref;
    }

    StoredItem entry(String ref) throws IOException {
        return store.entry(ref).orElseThrow();
    }

    HoldState state(String ref) throws IOException {
        return entry(ref).state();
    }

    @Override
    public void close() throws IOException {
        scheduler.close();
        upstream.close();
        store.close();
    }
}
