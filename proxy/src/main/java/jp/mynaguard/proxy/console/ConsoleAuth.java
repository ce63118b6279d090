package jp.mynaguard.proxy.console;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

/**
 * Who is asking: password (+ TOTP) logins that open a session, sessions, and API tokens. Users
 * and roles come from the users file on every request ({@link SmtpUsers} re-reads it when it
 * changes), so removing a user or a role takes effect without a restart. Slow on purpose
 * (PBKDF2): call {@link #login} off the event loop.
 */
final class ConsoleAuth {
    /** What a login attempt came to. */
    sealed interface LoginResult permits LoggedIn, Refused, Throttled, SecondFactorNotEnrolled {
    }

    record LoggedIn(SessionStore.Session session, Actor actor) implements LoginResult {
    }

    /** Wrong name, password or code: one answer for all, so the page tells an attacker nothing. */
    record Refused() implements LoginResult {
    }

    record Throttled(Instant until) implements LoginResult {
    }

    /** The password was right, but the user's role requires TOTP and none is enrolled. */
    record SecondFactorNotEnrolled() implements LoginResult {
    }

    private final SmtpUsers users;
    private final Set<Role> totpRequiredFor;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final TotpReplayGuard replays = new TotpReplayGuard();
    private final Clock clock;
    private volatile String dummyHash;

    ConsoleAuth(SmtpUsers users, Set<Role> totpRequiredFor, SessionStore sessions, LoginThrottle throttle, Clock clock) {
        this.users = users;
        this.totpRequiredFor = Set.copyOf(totpRequiredFor);
        this.sessions = sessions;
        this.throttle = throttle;
        this.clock = clock;
    }

    SessionStore sessions() {
        return sessions;
    }

    SmtpUsers users() {
        return users;
    }

    LoginResult login(String name, char[] password, String code, String clientAddress) {
        String user = name == null || name.isBlank() ? null : name.strip();
        Optional<Instant> locked = throttle.lockedUntil(user, clientAddress);
        if (locked.isPresent()) {
            return new Throttled(locked.get());
        }
        SmtpUser u = user == null ? null : users.find(user).filter(SmtpUser::canLogIn).orElse(null);
        // An unknown user costs the same hash as a known one: the timing does not tell which names exist.
        boolean passwordOk = PasswordHash.verify(password, u != null ? u.passwordHash() : dummyHash());
        if (u == null || !passwordOk) {
            throttle.failure(user, clientAddress);
            return new Refused();
        }
        if (u.totpSecret() != null) {
            long step = Totp.matchingStep(u.totpSecret(), code, clock.instant());
            if (step < 0 || !replays.accept(u.name(), step)) {
                throttle.failure(user, clientAddress);
                return new Refused();
            }
        } else if (u.roles().stream().anyMatch(totpRequiredFor::contains)) {
            return new SecondFactorNotEnrolled();
        }
        throttle.success(user);
        return new LoggedIn(sessions.create(u.name()), actor(u));
    }

    /** The session's user as they are now; empty when the session expired or the user is gone. */
    Optional<Authenticated> session(String sessionId) {
        return sessions.find(sessionId).flatMap(s -> currentActor(s.login).map(a -> new Authenticated(a, s)));
    }

    /** The token's user; a wrong token counts as a failed login from the address. */
    Optional<Actor> bearer(String token, String clientAddress) {
        if (throttle.lockedUntil(null, clientAddress).isPresent()) {
            return Optional.empty();
        }
        String id = ApiTokens.idOf(token);
        if (id != null) {
            for (SmtpUser u : users.all()) {
                for (SmtpUser.Token t : u.tokens()) {
                    if (t.id().equals(id) && ApiTokens.matches(token, t)) {
                        return Optional.of(actor(u));
                    }
                }
            }
        }
        throttle.failure(null, clientAddress);
        return Optional.empty();
    }

    Optional<Instant> lockedUntil(String clientAddress) {
        return throttle.lockedUntil(null, clientAddress);
    }

    private Optional<Actor> currentActor(String login) {
        return users.find(login).filter(SmtpUser::canLogIn).map(ConsoleAuth::actor);
    }

    /** The workflow's view of a user: login, first plain address, roles (sender always). */
    static Actor actor(SmtpUser u) {
        String address = u.primaryAddress();
        return new Actor(u.name(), address == null ? "" : address, u.roles());
    }

    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = PasswordHash.create(SessionStore.randomToken().toCharArray());
            dummyHash = h;
        }
        return h;
    }

    /** A request's user with the session it came with ({@code null} session for API tokens). */
    record Authenticated(Actor actor, SessionStore.Session session) {
    }
}
