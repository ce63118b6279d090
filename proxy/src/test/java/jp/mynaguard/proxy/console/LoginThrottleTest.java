package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Login rate limiting per user and per client address, over a sliding window. */
class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(TestConsole.START);
    private final LoginThrottle throttle = LoginThrottle.defaults(clock);

    @Test
    void aUserIsLockedAfterTheLimitUntilTheOldestFailureLeavesTheWindow() {
        for (int i = 0; i < ConsoleLimits.LOGIN_FAILURES_PER_USER - 1; i++) {
            throttle.failure("suzuki", "192.0.2.1");
            clock.advance(Duration.ofSeconds(10));
        }
        assertTrue(throttle.lockedUntil("suzuki", "192.0.2.9").isEmpty(), "one below the limit");
        throttle.failure("suzuki", "192.0.2.2");
        assertEquals(TestConsole.START.plus(ConsoleLimits.LOGIN_WINDOW), throttle.lockedUntil("suzuki", "192.0.2.9")
                .orElseThrow(), "locked from any address, until the first failure is a window old");
        assertTrue(throttle.lockedUntil("sato", "192.0.2.9").isEmpty(), "other users are not");
        clock.set(TestConsole.START.plus(ConsoleLimits.LOGIN_WINDOW));
        assertTrue(throttle.lockedUntil("suzuki", "192.0.2.9").isEmpty(), "the oldest failure has left the window");
    }

    @Test
    void anAddressGuessingManyUsersIsLockedForEveryone() {
        for (int i = 0; i < ConsoleLimits.LOGIN_FAILURES_PER_ADDRESS; i++) {
            throttle.failure("user" + i, "198.51.100.7");
        }
        assertTrue(throttle.lockedUntil("someone-else", "198.51.100.7").isPresent());
        assertTrue(throttle.lockedUntil(null, "198.51.100.7").isPresent(), "tokens from there too");
        assertTrue(throttle.lockedUntil("someone-else", "198.51.100.8").isEmpty(), "another address is not");
    }

    @Test
    void successClearsTheUserButNotTheAddress() {
        for (int i = 0; i < ConsoleLimits.LOGIN_FAILURES_PER_USER - 1; i++) {
            throttle.failure("suzuki", "203.0.113.5");
        }
        throttle.success("suzuki");
        throttle.failure("suzuki", "203.0.113.5");
        assertTrue(throttle.lockedUntil("suzuki", "203.0.113.6").isEmpty(), "the count started again");
        for (int i = 0; i < ConsoleLimits.LOGIN_FAILURES_PER_ADDRESS; i++) {
            throttle.failure(i % 2 == 0 ? "a" + i : null, "203.0.113.9");
            throttle.success("a" + i);
        }
        assertTrue(throttle.lockedUntil(null, "203.0.113.9").isPresent());
    }

    @Test
    void theNumberOfRememberedKeysIsBounded() {
        LoginThrottle small = new LoginThrottle(clock, 1, 1000, Duration.ofMinutes(15), 3);
        small.failure("a", "x");
        small.failure("b", "x");
        small.failure("c", "x");
        small.failure("d", "x");
        assertTrue(small.lockedUntil("a", "y").isEmpty(), "the least recently failed key was dropped");
        assertTrue(small.lockedUntil("d", "y").isPresent());
    }
}
