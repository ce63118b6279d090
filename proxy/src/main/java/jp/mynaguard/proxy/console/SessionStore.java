package jp.mynaguard.proxy.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions: a random 256-bit id (the cookie value) to the login name, a CSRF token and
 * the two clocks that end it: idle time since the last request and the absolute maximum since the
 * login. Only the login name is kept, not the roles: every request looks the user up again, so a
 * removed user or a changed role takes effect at once. In memory: a restart logs everyone out,
 * and two instances behind a load balancer need sticky sessions.
 */
final class SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ID_BYTES = 32;

    /** One logged-in browser. {@code lastSeen} moves on each request. */
    static final class Session {
        final String id;
        final String login;
        final String csrfToken;
        final Instant created;
        volatile Instant lastSeen;

        private Session(String id, String login, String csrfToken, Instant created) {
            this.id = id;
            this.login = login;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = created;
        }

        @Override
        public String toString() {
            return "Session[" + login + "]";
        }
    }

    private final Clock clock;
    private final Duration idle;
    private final Duration max;
    private final int maxSessions;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    SessionStore(Clock clock, Duration idle, Duration max, int maxSessions) {
        this.clock = clock;
        this.idle = idle;
        this.max = max;
        this.maxSessions = maxSessions;
    }

    /** A new session with a fresh id (never one the browser brought: no session fixation). */
    Session create(String login) {
        Instant now = clock.instant();
        if (sessions.size() >= maxSessions) {
            sessions.values().removeIf(s -> expired(s, now));
            while (sessions.size() >= maxSessions) {
                sessions.values().stream().min(Comparator.comparing(s -> s.created))
                        .ifPresent(oldest -> sessions.remove(oldest.id));
            }
        }
        Session s = new Session(randomToken(), login, randomToken(), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session with this id, its idle clock restarted; an expired one is removed. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of a user (removed from the users file, or logged out everywhere). */
    void endAll(String login) {
        sessions.values().removeIf(s -> s.login.equals(login));
    }

    int size() {
        return sessions.size();
    }

    /** The cookie's Max-Age: the absolute limit (idle expiry is the server's business). */
    Duration maxAge() {
        return max;
    }

    private boolean expired(Session s, Instant now) {
        return !s.lastSeen.plus(idle).isAfter(now) || !s.created.plus(max).isAfter(now);
    }

    /** 256 random bits, URL-safe base64 (cookie and form safe). */
    static String randomToken() {
        byte[] b = new byte[ID_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
