package jp.mynaguard.proxy.console;

/**
 * The console's cookies. The session cookie is HttpOnly (no script reads it), SameSite=Strict (no
 * other site's page sends it along) and, over HTTPS, Secure with the {@code __Host-} prefix (the
 * browser refuses it from plain HTTP or with a Domain). No Max-Age: it ends with the browser, and
 * the server ends it earlier when idle or too old.
 */
final class Cookies {
    static final String SESSION = "mg_session";
    static final String SECURE_SESSION = "__Host-mg_session";
    /** The login form's double-submit token (CSRF protection before there is a session). */
    static final String LOGIN = "mg_login";
    private static final long LANG_MAX_AGE = 365L * 24 * 3600;
    private static final long LOGIN_MAX_AGE = 3600;

    private Cookies() {
    }

    static String sessionName(boolean secure) {
        return secure ? SECURE_SESSION : SESSION;
    }

    static String session(String id, boolean secure) {
        return sessionName(secure) + "=" + id + attributes(secure, true, -1);
    }

    static String clearSession(boolean secure) {
        return sessionName(secure) + "=" + attributes(secure, true, 0);
    }

    static String login(String token, boolean secure) {
        return LOGIN + "=" + token + attributes(secure, true, LOGIN_MAX_AGE);
    }

    static String clearLogin(boolean secure) {
        return LOGIN + "=" + attributes(secure, true, 0);
    }

    static String lang(Lang lang, boolean secure) {
        return Lang.COOKIE + "=" + lang.code + attributes(secure, false, LANG_MAX_AGE);
    }

    private static String attributes(boolean secure, boolean httpOnly, long maxAge) {
        return "; Path=/" + (maxAge >= 0 ? "; Max-Age=" + maxAge : "") + (httpOnly ? "; HttpOnly" : "")
                + "; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
