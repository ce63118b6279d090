package jp.mynaguard.proxy.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import jp.mynaguard.proxy.hold.Actor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console behind the Netty handler: one request in, one response out, on a worker thread.
 * Order of checks: static assets and the login page need no session; everything else needs a
 * session (pages) or a session or token (API); every POST with a session must carry the
 * session's CSRF token and, when the browser sends {@code Origin}, come from this console.
 */
final class ConsoleApp {
    private static final Logger log = LoggerFactory.getLogger(ConsoleApp.class);

    private final ConsoleAuth auth;
    private final LoginRoutes login;
    private final PageRoutes pages;
    private final ApiRoutes api;

    ConsoleApp(ConsoleAuth auth, ConsoleActions actions, Display display, Clock clock,
               jp.mynaguard.proxy.audit.AuditSink audit) {
        this.auth = auth;
        this.login = new LoginRoutes(auth, clock, audit);
        this.pages = new PageRoutes(actions, display);
        this.api = new ApiRoutes(actions);
    }

    ConsoleResponse handle(ConsoleRequest r) {
        Lang lang = Lang.of(r);
        ConsoleResponse resp;
        try {
            resp = route(r, lang);
        } catch (IOException | RuntimeException e) {
            // The store or workflow failed: say so without detail (messages could name content).
            log.error("console: {} {} failed: {}", r.method(), r.path(), e.toString());
            resp = r.path().startsWith("/api/") ? ApiRoutes.error(500, "internal", "internal error; see the gateway log")
                    : PageRoutes.error(r, lang, null, null, 500, "error.internal");
        }
        if (Lang.parse(r.param("lang")) != null) {
            resp.cookie(Cookies.lang(lang, r.secure()));
        }
        return resp;
    }

    private ConsoleResponse route(ConsoleRequest r, Lang lang) throws IOException {
        String path = r.path();
        if (path.startsWith("/assets/")) {
            ConsoleResponse a = r.isGet() ? Assets.serve(path) : null;
            return a != null ? a : PageRoutes.error(r, lang, null, null, 404, "error.notFound");
        }
        if (path.equals("/favicon.ico")) {
            // Browsers ask for it on every site; a redirect to the login page would be wasted work.
            return new ConsoleResponse(404, "text/plain; charset=utf-8", new byte[0]);
        }
        if (path.startsWith("/api/")) {
            return api(r);
        }
        if (path.equals("/login")) {
            if (r.isPost()) {
                return crossOrigin(r) ? PageRoutes.error(r, lang, null, null, 403, "error.csrf") : login.submit(r, lang);
            }
            return r.isGet() ? login.form(r, lang) : PageRoutes.error(r, lang, null, null, 405, "error.method");
        }
        Optional<ConsoleAuth.Authenticated> a = auth.session(r.cookie(Cookies.sessionName(r.secure())));
        if (a.isEmpty()) {
            String next = r.isGet() ? r.here() : "/";
            return ConsoleResponse.redirect("/login" + (next.equals("/") ? ""
                    : "?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8)));
        }
        if (r.isPost() && (crossOrigin(r) || !sameToken(a.get().session().csrfToken, r.form().get("csrf")))) {
            log.warn("console: POST {} by {} without a valid CSRF token, refused", path, a.get().actor().login());
            return PageRoutes.error(r, lang, a.get().actor(), a.get().session().csrfToken, 403, "error.csrf");
        }
        if (path.equals("/logout")) {
            return r.isPost() ? login.logout(r, a.get())
                    : PageRoutes.error(r, lang, a.get().actor(), a.get().session().csrfToken, 405, "error.method");
        }
        return pages.handle(r, a.get(), lang);
    }

    private ConsoleResponse api(ConsoleRequest r) throws IOException {
        String authorization = r.header("authorization");
        Actor actor;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (auth.lockedUntil(r.clientAddress()).isPresent()) {
                return ApiRoutes.error(429, "throttled", "too many failed attempts from this address; try later");
            }
            Optional<Actor> t = auth.bearer(authorization.substring(7).strip(), r.clientAddress());
            if (t.isEmpty()) {
                return ApiRoutes.error(401, "unauthorized", "unknown or revoked token")
                        .header("WWW-Authenticate", "Bearer realm=\"mynaguard\", error=\"invalid_token\"");
            }
            actor = t.get();
        } else {
            Optional<ConsoleAuth.Authenticated> a = auth.session(r.cookie(Cookies.sessionName(r.secure())));
            if (a.isEmpty()) {
                return ApiRoutes.error(401, "unauthorized", "log in or send Authorization: Bearer TOKEN")
                        .header("WWW-Authenticate", "Bearer realm=\"mynaguard\"");
            }
            if (r.isPost() && (crossOrigin(r) || !sameToken(a.get().session().csrfToken, r.header("x-csrf-token")))) {
                return ApiRoutes.error(403, "csrf", "a session request needs the X-CSRF-Token header");
            }
            actor = a.get().actor();
        }
        return api.handle(r, actor);
    }

    /**
     * Whether the browser says the request comes from another site's page. SameSite=Strict already
     * keeps the session cookie off such requests; this refuses them even in browsers that ignore it.
     */
    static boolean crossOrigin(ConsoleRequest r) {
        String origin = r.header("origin");
        String host = r.header("host");
        if (origin == null) {
            return false;
        }
        if (host == null || origin.equals("null")) {
            return true;
        }
        try {
            URI o = URI.create(origin);
            String authority = o.getRawAuthority();
            return authority == null || !authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
