package jp.mynaguard.proxy.hold;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import jp.mynaguard.proxy.ReferenceId;

/**
 * The process the crash tests kill: opens the store in {@code args[0]}, holds {@code args[1]}
 * items, and after each hold() returns prints {@code HELD <ref> <sha256>} and looks for the file
 * {@code after-hold-<ref>} (a marker system call for the strace test). Then waits to be killed.
 */
public final class HoldChild {
    private HoldChild() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        SqliteHoldStore store = SqliteHoldStore.open(data);
        for (int i = 0; i < count; i++) {
            String ref = ReferenceId.next();
            HeldItem item = store.hold(HoldTestData.request(ref, HoldTestData.message(ref), Instant.now()));
            Files.exists(data.resolve("after-hold-" + ref));
            System.out.println("HELD " + item.referenceId() + " " + item.contentSha256());
            System.out.flush();
        }
        // Wait to be killed. Under strace the test kills strace, which detaches rather than kills
        // this JVM, so give up by ourselves after a while instead of lingering forever.
        Thread.sleep(60_000);
        System.exit(3);
    }
}
