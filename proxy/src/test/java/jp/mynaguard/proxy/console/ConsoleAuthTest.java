package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password and TOTP logins, required second factors, API tokens, and users removed while logged in. */
class ConsoleAuthTest {
    private static final String PW = "s3cret-pass";
    private final MutableClock clock = new MutableClock(TestConsole.START);
    private final String secret = Totp.newSecret();
    private ApiTokens.Issued token;
    private Path file;
    private ConsoleAuth auth;

    @BeforeEach
    void users(@TempDir Path dir) throws Exception {
        file = dir.resolve("users");
        token = ApiTokens.issue();
        write(List.of(
                user("tanaka", Set.of(), null, List.of()),
                user("suzuki", Set.of(Role.APPROVER), secret, List.of(token.stored())),
                user("boss", Set.of(Role.ADMIN), null, List.of()),
                new SmtpUser("scanner", SmtpUsers.DISABLED, List.of("scanner@example.co.jp"))));
        SmtpUsers users = SmtpUsers.open(file);
        auth = new ConsoleAuth(users, Set.of(Role.ADMIN), new SessionStore(clock, Duration.ofMinutes(30),
                Duration.ofHours(12), 100), LoginThrottle.defaults(clock), clock);
    }

    private static SmtpUser user(String name, Set<Role> roles, String totp, List<SmtpUser.Token> tokens) {
        return new SmtpUser(name, PasswordHash.create(PW.toCharArray(), 1000), List.of(name + "@example.co.jp"), roles,
                totp, tokens);
    }

    private void write(List<SmtpUser> users) throws Exception {
        SmtpUsers.write(file, users);
    }

    private String code() {
        return Totp.code(Base32.decode(secret), Totp.step(clock.instant()), "HmacSHA1", 6);
    }

    @Test
    void passwordLoginGivesTheUsersActor() {
        ConsoleAuth.LoggedIn in = assertInstanceOf(ConsoleAuth.LoggedIn.class,
                auth.login("tanaka", PW.toCharArray(), null, "127.0.0.1"));
        assertEquals(new Actor("tanaka", "tanaka@example.co.jp", Set.of(Role.SENDER)), in.actor());
        assertEquals("tanaka", auth.session(in.session().id).orElseThrow().actor().login());
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("tanaka", "wrong".toCharArray(), null, "127.0.0.1"));
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("nobody", PW.toCharArray(), null, "127.0.0.1"));
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("scanner", PW.toCharArray(), null, "127.0.0.1"),
                "a no-login user cannot log in");
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("", PW.toCharArray(), null, "127.0.0.1"));
    }

    @Test
    void anEnrolledUserNeedsTheCodeAndACodeWorksOnce() {
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("suzuki", PW.toCharArray(), null, "127.0.0.1"));
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("suzuki", PW.toCharArray(), "000000".equals(code())
                ? "111111" : "000000", "127.0.0.1"));
        String c = code();
        assertInstanceOf(ConsoleAuth.LoggedIn.class, auth.login("suzuki", PW.toCharArray(), c, "127.0.0.1"));
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("suzuki", PW.toCharArray(), c, "127.0.0.1"),
                "the same code again (replay)");
        clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        assertInstanceOf(ConsoleAuth.LoggedIn.class, auth.login("suzuki", PW.toCharArray(), code(), "127.0.0.1"));
    }

    @Test
    void aRoleThatRequiresTotpCannotLogInWithoutOne() {
        assertInstanceOf(ConsoleAuth.SecondFactorNotEnrolled.class, auth.login("boss", PW.toCharArray(), null, "127.0.0.1"));
        assertInstanceOf(ConsoleAuth.Refused.class, auth.login("boss", "wrong".toCharArray(), null, "127.0.0.1"),
                "a wrong password says nothing about the second factor");
    }

    @Test
    void fiveFailuresLockTheUserEvenWithTheRightPassword() {
        for (int i = 0; i < ConsoleLimits.LOGIN_FAILURES_PER_USER; i++) {
            assertInstanceOf(ConsoleAuth.Refused.class, auth.login("tanaka", ("x" + i).toCharArray(), null, "10.0.0." + i));
        }
        ConsoleAuth.Throttled t = assertInstanceOf(ConsoleAuth.Throttled.class,
                auth.login("tanaka", PW.toCharArray(), null, "10.0.0.99"));
        assertEquals(TestConsole.START.plus(ConsoleLimits.LOGIN_WINDOW), t.until());
        clock.advance(ConsoleLimits.LOGIN_WINDOW);
        assertInstanceOf(ConsoleAuth.LoggedIn.class, auth.login("tanaka", PW.toCharArray(), null, "10.0.0.99"));
    }

    @Test
    void tokensAuthenticateTheirUserAndWrongTokensCountAgainstTheAddress() {
        assertEquals("suzuki", auth.bearer(token.token(), "127.0.0.1").orElseThrow().login());
        String forged = token.token().substring(0, token.token().length() - 2) + "AA";
        assertTrue(auth.bearer(forged, "192.0.2.1").isEmpty());
        assertTrue(auth.bearer("not a token", "192.0.2.1").isEmpty());
        for (int i = 0; i < ConsoleLimits.LOGIN_FAILURES_PER_ADDRESS; i++) {
            auth.bearer("mgt_zzzz_" + i, "192.0.2.1");
        }
        assertTrue(auth.bearer(token.token(), "192.0.2.1").isEmpty(), "the address is locked, even for a good token");
        assertTrue(auth.bearer(token.token(), "192.0.2.2").isPresent());
    }

    @Test
    void aRemovedUserOrRoleTakesEffectOnTheNextRequest() throws Exception {
        ConsoleAuth.LoggedIn in = (ConsoleAuth.LoggedIn) auth.login("tanaka", PW.toCharArray(), null, "127.0.0.1");
        write(List.of(user("tanaka", Set.of(Role.AUDITOR), null, List.of())));
        clock.advance(Duration.ofSeconds(2));
        Thread.sleep(1100); // the users file is looked at once a second
        assertTrue(auth.session(in.session().id).orElseThrow().actor().has(Role.AUDITOR));
        assertTrue(auth.bearer(token.token(), "127.0.0.1").isEmpty(), "suzuki and the token are gone");
        write(List.of());
        Thread.sleep(1100);
        assertTrue(auth.session(in.session().id).isEmpty(), "removed users are logged out");
    }
}
