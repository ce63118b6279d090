package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

/** For tests outside this package: what an approver does in the console, done straight on the store. */
public final class HoldTestAccess {
    private HoldTestAccess() {
    }

    /** HELD -> APPROVED at {@code at}, recorded like a console approval. */
    public static boolean approve(SqliteHoldStore store, String referenceId, Instant at) throws IOException {
        try {
            return store.database().transition(referenceId, HoldState.HELD, HoldState.APPROVED, at, "approver (test)", null);
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}
