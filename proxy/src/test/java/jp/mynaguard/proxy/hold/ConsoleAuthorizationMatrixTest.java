package jp.mynaguard.proxy.hold;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.console.ConsoleMatrixOverRealWorkflow;

/**
 * The console's authorization matrix over the real {@link ApprovalWorkflow} on a SQLite store:
 * the same table of expected statuses as over the console's in-memory workflow.
 */
class ConsoleAuthorizationMatrixTest extends ConsoleMatrixOverRealWorkflow {
    @Override
    protected Store open(Path dir, java.time.Clock clock) throws Exception {
        SqliteHoldStore store = SqliteHoldStore.open(dir);
        HoldSettings settings = HoldSettings.builder().hostname("mynaguard.test").zone(ZoneId.of("Asia/Tokyo"))
                .spoolDirectory(dir).build();
        ApprovalWorkflow workflow = new ApprovalWorkflow(store, settings, HoldNotifier.NONE, AuditSink.NONE, clock,
                () -> List.of("security@example.co.jp"));
        return new Store() {
            @Override
            public HoldWorkflow workflow() {
                return workflow;
            }

            @Override
            public void approval(String ref, String sender, String approver, Instant received, byte[] content)
                    throws Exception {
                Instant expires = received.plus(Duration.ofDays(3));
                HoldDetails d = new HoldDetails("件名", List.of(), List.of(new HoldWorkflow.Finding("MY_NUMBER", "HIGH",
                        "body:1", "****-****-****", "****")), List.of(approver), List.of(), List.of("partner@example.com"),
                        expires.minus(Duration.ofDays(1)), null, expires, ExpiryOutcome.REJECT, true, false);
                store.hold(new HoldRequest(ref, HoldKind.APPROVE, "smtp", sender, List.of("partner@example.com"),
                        "external-my-number", "sha256:policy", "MY_NUMBER HIGH x1 (body)", received, null,
                        InputSource.of(content), d));
            }

            @Override
            public void close() throws Exception {
                store.close();
            }
        };
    }
}
