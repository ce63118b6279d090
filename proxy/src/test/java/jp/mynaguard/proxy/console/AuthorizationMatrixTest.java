package jp.mynaguard.proxy.console;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldWorkflow;

/** The authorization matrix over the in-memory workflow of the console's tests. */
class AuthorizationMatrixTest extends AuthorizationMatrix {
    @Override
    Backend backend(Path dir, MutableClock clock) {
        MemoryHoldWorkflow workflow = new MemoryHoldWorkflow(clock);
        return new Backend() {
            @Override
            public HoldWorkflow workflow() {
                return workflow;
            }

            @Override
            public void approval(String ref, String sender, String approver, Instant received, byte[] content) {
                workflow.add(new MemoryHoldWorkflow.Spec(ref, HoldKind.APPROVE, sender, List.of("partner@example.com"),
                        List.of("partner@example.com"), "件名", "external-my-number", "MY_NUMBER HIGH x1 (body)",
                        List.of(new HoldWorkflow.Finding("MY_NUMBER", "HIGH", "body:1", "****-****-****", "****")),
                        List.of(), List.of(approver), List.of(), received, received.plus(Duration.ofDays(3)), content));
            }

            @Override
            public void close() {
            }
        };
    }
}
