package jp.mynaguard.proxy.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Login rate limiting: failures are counted per user name and per client address over a sliding
 * window. Once either count reaches its limit, attempts are refused before the password is even
 * checked (so guessing also cannot burn the workers' CPU on PBKDF2) until the oldest failure
 * leaves the window. A successful login clears the user's count, not the address's: one correct
 * password must not reset a guessing run against other users from the same place.
 */
final class LoginThrottle {
    private final Clock clock;
    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Failures users;
    private final Failures addresses;

    LoginThrottle(Clock clock, int perUser, int perAddress, Duration window, int trackedKeys) {
        this.clock = clock;
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.users = new Failures(trackedKeys);
        this.addresses = new Failures(trackedKeys);
    }

    static LoginThrottle defaults(Clock clock) {
        return new LoginThrottle(clock, ConsoleLimits.LOGIN_FAILURES_PER_USER, ConsoleLimits.LOGIN_FAILURES_PER_ADDRESS,
                ConsoleLimits.LOGIN_WINDOW, ConsoleLimits.LOGIN_TRACKED_KEYS);
    }

    /** When the user or address may try again, if either is locked now; {@code user} null: the address only. */
    Optional<Instant> lockedUntil(String user, String address) {
        Instant now = clock.instant();
        Instant a = user == null ? null : users.lockedUntil(user, perUser, now, window);
        Instant b = addresses.lockedUntil(address, perAddress, now, window);
        if (a == null) {
            return Optional.ofNullable(b);
        }
        return Optional.of(b == null || a.isAfter(b) ? a : b);
    }

    /** Counts a failure against the address and, unless {@code null}, the user name. */
    void failure(String user, String address) {
        Instant now = clock.instant();
        if (user != null) {
            users.add(user, now, perUser, window);
        }
        addresses.add(address, now, perAddress, window);
    }

    void success(String user) {
        users.clear(user);
    }

    /** Failure times per key, bounded: the least recently failed keys are forgotten first. */
    private static final class Failures {
        private final Map<String, ArrayDeque<Instant>> byKey;

        Failures(int maxKeys) {
            this.byKey = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
                    return size() > maxKeys;
                }
            };
        }

        synchronized void add(String key, Instant now, int limit, Duration window) {
            ArrayDeque<Instant> times = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
            expire(times, now, window);
            times.addLast(now);
            while (times.size() > limit) {
                times.removeFirst();
            }
        }

        synchronized Instant lockedUntil(String key, int limit, Instant now, Duration window) {
            ArrayDeque<Instant> times = byKey.get(key);
            if (times == null) {
                return null;
            }
            expire(times, now, window);
            if (times.isEmpty()) {
                byKey.remove(key);
                return null;
            }
            return times.size() >= limit ? times.peekFirst().plus(window) : null;
        }

        synchronized void clear(String key) {
            byKey.remove(key);
        }

        private static void expire(ArrayDeque<Instant> times, Instant now, Duration window) {
            while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
                times.removeFirst();
            }
        }
    }
}
