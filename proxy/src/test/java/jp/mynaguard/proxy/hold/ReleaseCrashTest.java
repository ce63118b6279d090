package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process is killed with SIGKILL in the middle of a release (the SMTP server has
 * accepted MAIL and RCPT and holds back its answer to DATA); a new process on the same store
 * takes the release over once the dead one's lease has run out, and the item is delivered
 * exactly once, counted at a real SMTP server on loopback.
 */
class ReleaseCrashTest {
    private static final String LEASE_SECONDS = "3";

    @TempDir
    Path dir;

    private static Process child(Path data, int port, String ref) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ReleaseChild.class.getName(),
                data.toString(), String.valueOf(port), LEASE_SECONDS, ref)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void killedMidReleaseTheItemIsReleasedOnceAfterRestart() throws Exception {
        Path data = dir.resolve("data");
        String ref;
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            ApprovalWorkflow wf = new ApprovalWorkflow(store, WorkflowFixture.settings().build(), HoldNotifier.NONE,
                    new RecordingAudit(), Clock.systemUTC(), List::of);
            ref = jp.mynaguard.proxy.ReferenceId.next();
            HoldDetails d = new HoldDetails("", List.of(), List.of(), List.of("yamada@example.co.jp"), List.of(),
                    List.of(), null, null, null, null, true, false);
            store.hold(new HoldRequest(ref, HoldKind.APPROVE, "smtp", "tanaka@example.co.jp",
                    List.of("partner@outside.test"), "rule", "sha256:policy", "MY_NUMBER HIGH x1 (body)",
                    java.time.Instant.now(), null, jp.mynaguard.policy.extract.InputSource.of(WorkflowFixture.message(ref)),
                    d));
            wf.approve(WorkflowFixture.YAMADA, ref, "ok");
        }
        try (SmtpSink sink = new SmtpSink()) {
            CountDownLatch stall = new CountDownLatch(1);
            sink.stallBeforeData = stall;
            Process first = child(data, sink.port(), ref);
            try {
                assertTrue(sink.dataSeen.await(60, TimeUnit.SECONDS), "the first process never reached DATA");
            } finally {
                first.destroyForcibly();
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            }
            sink.stallBeforeData = null;
            stall.countDown();
            try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
                StoredItem s = store.entry(ref).orElseThrow();
                assertEquals(HoldState.RELEASING, s.state(), "killed while it owned the release");
            }
            assertTrue(sink.snapshot().isEmpty(), "nothing was delivered by the killed process");

            Process second = child(data, sink.port(), ref);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(second.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertEquals("RELEASED " + ref, out.readLine());
            } finally {
                second.destroyForcibly();
                assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(1, sink.snapshot().size(), "released exactly once");
            assertArrayEquals(WorkflowFixture.message(ref), sink.snapshot().get(0).data());
        }
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            List<String> actions = store.transitions(ref).stream().map(HoldWorkflow.Transition::action).toList();
            assertEquals(List.of("hold", "approve", "release-claimed", "release-reclaimed", "released"), actions);
            assertEquals(HoldState.RELEASED, store.entry(ref).orElseThrow().state());
        }
    }
}
