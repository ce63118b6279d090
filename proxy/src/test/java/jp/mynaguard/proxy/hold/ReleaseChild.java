package jp.mynaguard.proxy.hold;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.smtp.Upstream;

/**
 * The gateway process the release crash test kills: opens the store in {@code args[0]}, runs the
 * scheduler against the SMTP server on port {@code args[1]} with a release lease of
 * {@code args[2]} seconds, and prints {@code RELEASED <ref>} once item {@code args[3]} is released.
 * Gives up by itself after a minute.
 */
public final class ReleaseChild {
    private ReleaseChild() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Duration lease = Duration.ofSeconds(Long.parseLong(args[2]));
        String ref = args[3];
        HoldSettings settings = WorkflowFixture.settings().releaseLease(lease).relayTimeout(lease.minusSeconds(1))
                .spoolDirectory(data).build();
        try (SqliteHoldStore store = SqliteHoldStore.open(data); Upstream upstream = WorkflowFixture.upstream(port)) {
            HoldScheduler scheduler = new HoldScheduler(store, upstream, settings, HoldNotifier.NONE, AuditSink.NONE,
                    Clock.systemUTC(), List::of, "child-" + ProcessHandle.current().pid());
            long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < end) {
                scheduler.tick();
                if (store.entry(ref).orElseThrow().state() == HoldState.RELEASED) {
                    System.out.println("RELEASED " + ref);
                    System.out.flush();
                    Thread.sleep(60_000);
                }
                Thread.sleep(200);
            }
        }
        System.exit(3);
    }
}
