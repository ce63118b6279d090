package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What /metrics and /readyz ask of the SQLite store: counts per state and a ping. */
class HoldStoreProbeTest {
    @TempDir
    Path data;

    @Test
    void countsItemsPerStateAndAnswersPings() throws Exception {
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            assertEquals(Map.of(), store.countByState());
            store.ping();
            for (String ref : new String[] {"REFAAAA1", "REFAAAA2", "REFAAAA3"}) {
                store.hold(HoldTestData.request(ref, HoldTestData.message(ref), Instant.now()));
            }
            assertEquals(Map.of(HoldState.HELD, 3L), store.countByState());
        }
    }

    @Test
    void aClosedStoreFailsItsPing() throws Exception {
        SqliteHoldStore store = SqliteHoldStore.open(data);
        store.close();
        IOException e = assertThrows(IOException.class, store::ping);
        assertEquals(true, e.getMessage().startsWith("the hold database does not answer"), e.getMessage());
        assertThrows(IOException.class, store::countByState);
    }
}
