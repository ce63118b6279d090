package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jp.mynaguard.proxy.smtp.Upstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mynaguard hold purge} on a real store: what is old enough loses its content, nothing else. */
class HoldPurgeCommandTest {
    @TempDir
    Path data;

    /** Two items decided 10 days ago, one still waiting; returns {decided, decided, waiting}. */
    private List<String> items() throws Exception {
        MutableClock past = new MutableClock(Instant.now().minus(Duration.ofDays(10)));
        try (SqliteHoldStore store = SqliteHoldStore.open(data); Upstream none = WorkflowFixture.upstream(0)) {
            WorkflowFixture f = new WorkflowFixture(store, none, WorkflowFixture.settings().build(), "cli-test");
            f.clock.advance(Duration.between(f.clock.instant(), past.instant()));
            String rejected = f.approval();
            String cancelled = f.approval();
            String waiting = f.approval();
            f.workflow.reject(WorkflowFixture.YAMADA, rejected, null);
            f.workflow.cancel(WorkflowFixture.TANAKA, cancelled, null);
            return List.of(rejected, cancelled, waiting);
        }
    }

    private Path content(String ref) {
        return data.resolve("hold").resolve("content").resolve(ref + ".bin");
    }

    @Test
    void purgesFinalItemsOlderThanTheRetentionAndKeepsTheirMetadata() throws Exception {
        List<String> refs = items();
        HoldListCommandTest.Run dry = HoldListCommandTest.run("hold", "purge", "--data", data.toString(), "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().startsWith("would purge 2 item(s)"), dry.out());
        assertTrue(Files.exists(content(refs.get(0))), "a dry run destroys nothing");

        HoldListCommandTest.Run longer = HoldListCommandTest.run("hold", "purge", "--data", data.toString(),
                "--retention", "30d");
        assertEquals(0, longer.exit(), longer.err());
        assertTrue(longer.out().startsWith("purged 0 item(s)"), longer.out());

        HoldListCommandTest.Run run = HoldListCommandTest.run("hold", "purge", "--data", data.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("purged 2 item(s)"), run.out());
        assertFalse(Files.exists(content(refs.get(0))));
        assertFalse(Files.exists(content(refs.get(1))));
        assertTrue(Files.exists(content(refs.get(2))), "an undecided item keeps its content");
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            StoredItem s = store.entry(refs.get(0)).orElseThrow();
            assertTrue(s.contentDestroyed());
            assertEquals(HoldState.REJECTED, s.state());
            HoldWorkflow.Transition last = store.transitions(refs.get(0)).get(store.transitions(refs.get(0)).size() - 1);
            assertEquals("purge", last.action());
            assertTrue(last.actor().startsWith("cli:"), last.actor());
        }
        HoldListCommandTest.Run list = HoldListCommandTest.run("hold", "list", "--data", data.toString());
        assertTrue(list.out().contains(refs.get(0)), "still listed: " + list.out());
    }

    @Test
    void badInputIsAClearError() throws Exception {
        HoldListCommandTest.Run none = HoldListCommandTest.run("hold", "purge", "--data", data.resolve("nothing").toString());
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("no hold store"), none.err());
        items();
        HoldListCommandTest.Run bad = HoldListCommandTest.run("hold", "purge", "--data", data.toString(), "--retention",
                "soon");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("not a duration"), bad.err());
    }
}
