package jp.mynaguard.proxy.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /login} and {@code POST /logout}. The login form is protected against CSRF
 * before any session exists by a double-submit token (cookie and hidden field must match); the
 * session id is new at every login, and logout ends it on the server, not only in the browser.
 */
final class LoginRoutes {
    private static final Logger log = LoggerFactory.getLogger(LoginRoutes.class);

    private final ConsoleAuth auth;
    private final java.time.Clock clock;
    private final AuditSink audit;

    LoginRoutes(ConsoleAuth auth, java.time.Clock clock, AuditSink audit) {
        this.auth = auth;
        this.clock = clock;
        this.audit = audit;
    }

    /** Logins, refusals and logouts go to the audit trail beside the workflow's own records of decisions. */
    private void record(String action, String user, ConsoleRequest r) {
        audit.record(AuditEvent.of(AuditEvent.CONSOLE).time(clock.instant()).user(user).action(action)
                .field("client", r.clientAddress()).build());
    }

    ConsoleResponse form(ConsoleRequest r, Lang lang) {
        return page(r, lang, 200, localPath(r.param("next")), null, null);
    }

    ConsoleResponse submit(ConsoleRequest r, Lang lang) {
        Map<String, String> f = r.form();
        String next = localPath(f.get("next"));
        if (!sameToken(r.cookie(Cookies.LOGIN), f.get("login_token"))) {
            return page(r, lang, 403, next, "login.expired", null);
        }
        char[] password = f.getOrDefault("password", "").toCharArray();
        ConsoleAuth.LoginResult result;
        try {
            result = auth.login(f.get("username"), password, f.get("code"), r.clientAddress());
        } finally {
            Arrays.fill(password, '\0');
        }
        String user = f.getOrDefault("username", "");
        if (result instanceof ConsoleAuth.LoggedIn in) {
            // A session this browser had before (another user's, or the same one's) ends with the new login.
            auth.sessions().end(r.cookie(Cookies.sessionName(r.secure())));
            log.info("console login: {} from {}", in.actor().login(), r.clientAddress());
            record("login", in.actor().login(), r);
            return ConsoleResponse.redirect(next)
                    .cookie(Cookies.session(in.session().id, r.secure()))
                    .cookie(Cookies.clearLogin(r.secure()));
        }
        if (result instanceof ConsoleAuth.Throttled t) {
            log.warn("console login refused (too many failures): user {} from {}", safe(user), r.clientAddress());
            record("login-throttled", safe(user), r);
            long minutes = Math.max(1, Duration.between(clock.instant(), t.until()).toMinutes() + 1);
            return page(r, lang, 429, next, "login.throttled", Long.toString(minutes))
                    .header("Retry-After", Long.toString(Math.max(1, t.until().getEpochSecond()
                            - Instant.now(clock).getEpochSecond())));
        }
        if (result instanceof ConsoleAuth.SecondFactorNotEnrolled) {
            log.warn("console login refused: {} needs TOTP but has none enrolled", safe(user));
            record("login-refused-no-totp", safe(user), r);
            return page(r, lang, 403, next, "login.totpRequired", null);
        }
        log.info("console login failed: user {} from {}", safe(user), r.clientAddress());
        record("login-failed", safe(user), r);
        return page(r, lang, 401, next, "login.failed", null);
    }

    ConsoleResponse logout(ConsoleRequest r, ConsoleAuth.Authenticated a) {
        auth.sessions().end(a.session().id);
        log.info("console logout: {}", a.actor().login());
        record("logout", a.actor().login(), r);
        return ConsoleResponse.redirect("/login").cookie(Cookies.clearSession(r.secure()));
    }

    /**
     * The login form. The double-submit token is per browser, not per page: a token already in the
     * browser's cookie is kept, so a second login page (another tab, a favicon request redirected
     * here) cannot invalidate the form the user is filling in.
     */
    private ConsoleResponse page(ConsoleRequest r, Lang lang, int status, String next, String error, String arg) {
        String existing = r.cookie(Cookies.LOGIN);
        String token = existing != null && existing.matches("[A-Za-z0-9_-]{43}") ? existing : SessionStore.randomToken();
        return ConsoleResponse.html(status, AccessViews.login(lang, token, next, error, arg, "/login"))
                .cookie(Cookies.login(token, r.secure()));
    }

    /** Only a path on this console: never {@code //host} or {@code https://...} (no open redirect). */
    static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f) || next.startsWith("/login")) {
            return "/";
        }
        return next;
    }

    private static boolean sameToken(String cookie, String field) {
        return cookie != null && field != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                field.getBytes(StandardCharsets.UTF_8));
    }

    /** A typed user name for the log: bounded, printable, digit runs masked (people type odd things there). */
    private static String safe(String user) {
        String s = user.length() > 64 ? user.substring(0, 64) : user;
        return jp.mynaguard.proxy.hold.MetadataMask.mask(s.replaceAll("[^\\x21-\\x7e]", "?"));
    }
}
