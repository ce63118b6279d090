package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.time.Instant;

/** For tests outside this package: what an approver does in the console, done straight on the store. */
public final class HoldTestAccess {
    private HoldTestAccess() {
    }

    /** HELD -> APPROVED at {@code at}, recorded like a console approval (a compare-and-set, as the workflow does). */
    public static boolean approve(HoldStore store, String referenceId, Instant at) throws IOException {
        StoredItem item = store.entry(referenceId).orElseThrow();
        if (item.state() != HoldState.HELD) {
            return false;
        }
        return store.apply(StateChange.of(item, HoldState.APPROVED, "approve", "approver (test)", at).build())
                .isPresent();
    }
}
