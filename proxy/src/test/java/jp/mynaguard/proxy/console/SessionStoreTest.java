package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Session ids, CSRF tokens, idle and absolute expiry, and the bound on live sessions. */
class SessionStoreTest {
    private final MutableClock clock = new MutableClock(TestConsole.START);

    @Test
    void idsAndCsrfTokensAre256RandomBits() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), Duration.ofHours(12), 100);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            SessionStore.Session s = store.create("tanaka");
            assertEquals(32, Base64.getUrlDecoder().decode(s.id).length);
            assertEquals(32, Base64.getUrlDecoder().decode(s.csrfToken).length);
            assertNotEquals(s.id, s.csrfToken);
            assertTrue(seen.add(s.id) && seen.add(s.csrfToken));
        }
    }

    @Test
    void idleAndAbsoluteExpiry() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), Duration.ofHours(2), 100);
        SessionStore.Session s = store.create("tanaka");
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertTrue(store.find(s.id).isPresent(), "each use restarts the idle clock");
        }
        clock.advance(Duration.ofMinutes(30));
        assertTrue(store.find(s.id).isEmpty(), "idle for 30 minutes");
        assertEquals(0, store.size(), "and removed");

        SessionStore.Session t = store.create("tanaka");
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertTrue(store.find(t.id).isPresent());
        }
        clock.advance(Duration.ofMinutes(4));
        assertTrue(store.find(t.id).isEmpty(), "two hours after the login, however active");
        assertTrue(store.find(null).isEmpty());
        assertTrue(store.find("not-a-session").isEmpty());
    }

    @Test
    void atTheLimitExpiredSessionsGoFirstThenTheOldest() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), Duration.ofHours(12), 3);
        SessionStore.Session a = store.create("a");
        clock.advance(Duration.ofMinutes(1));
        SessionStore.Session b = store.create("b");
        clock.advance(Duration.ofMinutes(1));
        SessionStore.Session c = store.create("c");
        clock.advance(Duration.ofMinutes(1));
        store.create("d");
        assertEquals(3, store.size());
        assertTrue(store.find(a.id).isEmpty(), "the oldest was dropped");
        assertTrue(store.find(b.id).isPresent() && store.find(c.id).isPresent());
        store.endAll("b");
        assertTrue(store.find(b.id).isEmpty());
        store.end(c.id);
        assertTrue(store.find(c.id).isEmpty());
    }
}
