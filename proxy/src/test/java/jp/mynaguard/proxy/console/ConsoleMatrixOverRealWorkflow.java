package jp.mynaguard.proxy.console;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import jp.mynaguard.proxy.hold.HoldWorkflow;

/**
 * The bridge for running {@link AuthorizationMatrix} from the hold package, where the real
 * workflow's store can be filled: a subclass there says how to open a store and hold an item.
 */
public abstract class ConsoleMatrixOverRealWorkflow extends AuthorizationMatrix {
    /** A workflow on a real store, and how to hold a fresh approval item in it. */
    public interface Store extends AutoCloseable {
        HoldWorkflow workflow();

        void approval(String ref, String sender, String approver, Instant received, byte[] content) throws Exception;
    }

    protected abstract Store open(Path dir, Clock clock) throws Exception;

    @Override
    final Backend backend(Path dir, MutableClock clock) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Store s = open(dir, clock);
        return new Backend() {
            @Override
            public HoldWorkflow workflow() {
                return s.workflow();
            }

            @Override
            public void approval(String ref, String sender, String approver, Instant received, byte[] content)
                    throws Exception {
                s.approval(ref, sender, approver, received, content);
            }

            @Override
            public void close() throws Exception {
                s.close();
            }
        };
    }
}
