package jp.mynaguard.proxy.console;

/** The login page and the error pages (403, 404, 409, 429...), in the page's language with the other below. */
final class AccessViews {
    private AccessViews() {
    }

    /**
     * @param loginToken the pre-session CSRF token, also set as a cookie (double submit)
     * @param next       where to go after the login (a local path)
     * @param error      a message key for the last attempt, or {@code null}
     */
    static String login(Lang lang, String loginToken, String next, String error, String errorArg, String here) {
        Html h = new Html();
        h.raw("<section class=\"login\"><h1>").text(lang.t("login.title")).raw("</h1>");
        if (error != null) {
            h.raw("<p class=\"error-box\" id=\"login-error\" role=\"alert\">").text(lang.t(error, errorArg)).raw("</p>");
        }
        h.raw("<form method=\"post\" action=\"/login\" id=\"login\">")
                .raw("<input type=\"hidden\" name=\"login_token\" value=\"").attr(loginToken).raw("\">")
                .raw("<input type=\"hidden\" name=\"next\" value=\"").attr(next == null ? "/" : next).raw("\">")
                .raw("<label for=\"username\">").text(lang.t("login.user")).raw("</label>")
                .raw("<input id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" required>")
                .raw("<label for=\"password\">").text(lang.t("login.password")).raw("</label>")
                .raw("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
                .raw("<label for=\"code\">").text(lang.t("login.code")).raw("</label>")
                .raw("<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"8\">")
                .raw("<p class=\"hint\">").text(lang.t("login.codeHint")).raw("</p>")
                .raw("<button type=\"submit\" id=\"login-button\">").text(lang.t("login.submit")).raw("</button></form></section>");
        return Layout.page(lang, lang.t("login.title"), null, null, here, h);
    }

    /** An error page: the status, what happened in this language, the same in the other, and a way back. */
    static String error(Lang lang, int status, String key, jp.mynaguard.proxy.hold.Actor actor, String csrf, String here) {
        Html h = new Html();
        h.raw("<section class=\"error-page\" id=\"error\" data-status=\"").raw(Integer.toString(status)).raw("\"><h1>")
                .text(status + " " + lang.t(key + ".title")).raw("</h1><p>").text(lang.t(key + ".text")).raw("</p>")
                .raw("<p class=\"other-lang\" lang=\"").raw(lang.other().code).raw("\">")
                .text(lang.other().t(key + ".title") + ": " + lang.other().t(key + ".text")).raw("</p>")
                .raw("<p><a href=\"/\">").text(lang.t("error.home")).raw("</a></p></section>");
        return Layout.page(lang, lang.t(key + ".title"), actor, csrf, here, h);
    }
}
