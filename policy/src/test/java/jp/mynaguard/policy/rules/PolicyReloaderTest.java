package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload with real files: valid changes swap in, invalid ones are rejected and the old policy stays. */
class PolicyReloaderTest {
    @TempDir
    Path dir;

    final List<String> events = new CopyOnWriteArrayList<>();

    final PolicyReloader.Listener recorder = new PolicyReloader.Listener() {
        @Override
        public void activated(Policy policy, LoadResult result) {
            events.add("activated " + policy.name());
        }

        @Override
        public void rejected(LoadResult result, Policy stillActive) {
            events.add("rejected, kept " + stillActive.name() + ": "
                    + result.errors().get(0).toString().replace(dir.toString() + "/", ""));
        }
    };

    static String policy(String name, String defaultAction) {
        return "version: 1\nname: " + name + "\ndefault: " + defaultAction + "\n";
    }

    PolicyReloader.Builder builder(Path file) {
        return PolicyReloader.builder(file).loader(new PolicyLoader(TestPolicies.CLOCK)).listener(recorder);
    }

    @Test
    void explicitReloadSwapsAValidPolicyAndRejectsAnInvalidOne() throws Exception {
        Path file = TestPolicies.write(dir, "policy.yaml", policy("one", "allow"));
        try (PolicyReloader reloader = builder(file).pollInterval(Duration.ofHours(1)).useWatchService(false).start()) {
            Policy one = reloader.get();
            assertEquals("one", one.name());
            assertEquals(PolicyVersion.of(List.of(policy("one", "allow").getBytes())), one.version());

            TestPolicies.write(dir, "policy.yaml", policy("two", "block"));
            assertTrue(reloader.reload().ok());
            Policy two = reloader.get();
            assertEquals("two", two.name());
            assertNotEquals(one.version(), two.version());

            TestPolicies.write(dir, "policy.yaml", "version: 1\nname: three\ndefault: explode\n");
            LoadResult rejected = reloader.reload();
            assertTrue(!rejected.ok());
            assertSame(two, reloader.get(), "the last good policy stays active");
            assertEquals("policy.yaml:3:10: 'default' must be one of allow, block, quarantine, hold, approve,"
                    + " found 'explode'", reloader.lastRejected().orElseThrow().errors().get(0).toString()
                    .replace(dir.toString() + "/", ""));

            TestPolicies.write(dir, "policy.yaml", policy("four", "allow"));
            reloader.reload();
            assertTrue(reloader.lastRejected().isEmpty(), "a good load clears the kept error");
            assertEquals(List.of("activated one", "activated two",
                    "rejected, kept two: policy.yaml:3:10: 'default' must be one of allow, block, quarantine, hold,"
                            + " approve, found 'explode'", "activated four"), events);
        }
    }

    @Test
    void fileChangesAreNoticedByTheWatchService() throws Exception {
        Path file = TestPolicies.write(dir, "policy.yaml", policy("one", "allow"));
        try (PolicyReloader reloader = builder(file).pollInterval(Duration.ofMinutes(10)).start()) {
            TestPolicies.write(dir, "policy.yaml", policy("two", "allow"));
            await(() -> reloader.get().name().equals("two"));
        }
    }

    @Test
    void pollingFallbackNoticesChangesWithoutEvents() throws Exception {
        Path file = TestPolicies.write(dir, "policy.yaml", policy("one", "allow"));
        try (PolicyReloader reloader = builder(file).pollInterval(Duration.ofMillis(50)).useWatchService(false)
                .start()) {
            TestPolicies.write(dir, "policy.yaml", "version: 1\nname: [broken\n");
            await(() -> reloader.lastRejected().isPresent());
            assertEquals("one", reloader.get().name());
            TestPolicies.write(dir, "policy.yaml", policy("two", "allow"));
            await(() -> reloader.get().name().equals("two"));
            assertTrue(reloader.lastRejected().isEmpty());
        }
    }

    @Test
    void aChangedDirectoryFileReloadsThePolicy() throws Exception {
        TestPolicies.write(dir, "people.yaml", "users:\n  - address: a@example.co.jp\n");
        Path file = TestPolicies.write(dir, "policy.yaml",
                "version: 1\norganization:\n  internal_domains: [example.co.jp]\n  directory: people.yaml\ndefault: allow\n");
        try (PolicyReloader reloader = builder(file).pollInterval(Duration.ofMillis(50)).useWatchService(false)
                .start()) {
            String before = reloader.get().version();
            TestPolicies.write(dir, "people.yaml", "users:\n  - address: b@example.co.jp\n");
            await(() -> reloader.get().organization().user("b@example.co.jp") != null);
            assertNotEquals(before, reloader.get().version());
        }
    }

    @Test
    void anInvalidFirstPolicyCannotStart() {
        Path file = TestPolicies.write(dir, "policy.yaml", "version: 1\n");
        PolicyLoadException e = assertThrows(PolicyLoadException.class, () -> builder(file).start());
        assertEquals(1, e.result().errors().size());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
