package jp.mynaguard.proxy.console;

import jp.mynaguard.proxy.hold.Actor;

/**
 * The frame of every page: head (viewport for phones, our own CSS and script only), the top bar
 * with the sections the user's roles open, the language switch and the logout button.
 */
final class Layout {
    private Layout() {
    }

    /**
     * @param actor   the logged-in user, or {@code null} (login and error pages before a session)
     * @param csrf    the session's CSRF token for the logout form, or {@code null}
     * @param here    the current GET path, for the language switch link
     */
    static String page(Lang lang, String title, Actor actor, String csrf, String here, Html body) {
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"").raw(lang.code).raw("\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<meta name=\"referrer\" content=\"same-origin\">")
                .raw("<title>").text(title).raw(" - Mynaguard</title>")
                .raw("<link rel=\"stylesheet\" href=\"").raw(Assets.url("console.css")).raw("\">")
                .raw("<script src=\"").raw(Assets.url("console.js")).raw("\" defer></script>")
                .raw("</head><body><header class=\"top\"><a class=\"brand\" href=\"/\">")
                .text(lang.t("app.name")).raw("</a>");
        if (actor != null) {
            h.raw("<nav>");
            link(h, "/my", lang.t("nav.my"));
            if (Permission.AWAITING.allows(actor)) {
                link(h, "/approvals", lang.t("nav.approvals"));
            }
            if (Permission.SEARCH.allows(actor)) {
                link(h, "/admin", lang.t("nav.admin"));
            }
            h.raw("</nav>");
        }
        h.raw("<div class=\"who\">");
        if (actor != null) {
            h.raw("<span class=\"user\">").text(actor.login()).raw("</span>");
        }
        h.raw("<a class=\"lang\" id=\"lang-switch\" href=\"").attr(withLang(here, lang.other())).raw("\">")
                .text(lang.t("lang.switch")).raw("</a>");
        if (actor != null && csrf != null) {
            h.raw("<form method=\"post\" action=\"/logout\" class=\"inline\">").csrf(csrf)
                    .raw("<button type=\"submit\" class=\"link\" id=\"logout\">").text(lang.t("nav.logout"))
                    .raw("</button></form>");
        }
        h.raw("</div></header><main>").raw(body.toString()).raw("</main></body></html>");
        return h.toString();
    }

    private static void link(Html h, String href, String label) {
        h.raw("<a href=\"").raw(href).raw("\">").text(label).raw("</a>");
    }

    /** {@code path} with {@code lang=} set (other query parameters kept). */
    static String withLang(String here, Lang lang) {
        String base = here == null || here.isEmpty() ? "/" : here;
        String cleaned = base.replaceAll("([?&])lang=[^&]*&?", "$1").replaceAll("[?&]$", "");
        return cleaned + (cleaned.contains("?") ? "&" : "?") + "lang=" + lang.code;
    }
}
