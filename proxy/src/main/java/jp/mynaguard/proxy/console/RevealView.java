package jp.mynaguard.proxy.console;

import java.util.Map;

import jp.mynaguard.proxy.hold.HeldItem;

/**
 * The revealed content of one item. The only page that shows a message's text unmasked; it is
 * rendered in answer to a POST (never cached, never in the history's GET list) and says that the
 * view was recorded.
 */
final class RevealView {
    private RevealView() {
    }

    static Html render(Lang lang, HeldItem item, RevealedContent content) {
        Html h = new Html();
        h.raw("<p class=\"warning\" id=\"reveal-recorded\">").text(lang.t("reveal.recorded")).raw("</p>");
        h.raw("<p><a href=\"/items/").attr(item.referenceId()).raw("\">").text(lang.t("reveal.back")).raw("</a></p>");
        if (content.parts().isEmpty()) {
            h.raw("<p class=\"empty\">").text(lang.t("reveal.empty")).raw("</p>");
        }
        for (Map.Entry<String, String> p : content.parts().entrySet()) {
            h.raw("<section class=\"part\"><h2>").text(label(lang, p.getKey())).raw("</h2><pre class=\"revealed\">")
                    .revealedText(p.getValue()).raw("</pre></section>");
        }
        if (content.truncated()) {
            h.raw("<p class=\"warning\">").text(lang.t("reveal.truncated")).raw("</p>");
        }
        if (!content.unreadable().isEmpty()) {
            h.el("h2", null, lang.t("reveal.unreadable"));
            h.raw("<ul>");
            for (String u : content.unreadable()) {
                h.raw("<li>").text(u).raw("</li>");
            }
            h.raw("</ul>");
        }
        return h;
    }

    /** {@code body} → 本文, {@code attachment:a.pdf} → 添付: a.pdf. */
    private static String label(Lang lang, String location) {
        if (location.equals("subject")) {
            return lang.t("reveal.subject");
        }
        if (location.equals("body")) {
            return lang.t("reveal.body");
        }
        if (location.startsWith("attachment:")) {
            return lang.t("reveal.attachment", location.substring("attachment:".length()));
        }
        return location;
    }
}
