package jp.mynaguard.proxy.console;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.SmtpUser;

/** The admin and auditor pages: search with filters, policy status, users and roles, the audit. */
final class AdminViews {
    /** One line of the audit: a transition with the item it belongs to. */
    record AuditLine(String referenceId, jp.mynaguard.proxy.hold.HoldWorkflow.Transition transition) {
    }

    /** The search form's values as typed (dates as {@code yyyy-MM-dd}). */
    record Filters(String state, LocalDate from, LocalDate to, String sender, String rule) {
    }

    private final Display display;

    AdminViews(Display display) {
        this.display = display;
    }

    Html tabs(Lang lang, Actor actor, String active) {
        Html h = new Html().raw("<nav class=\"tabs\">");
        tab(h, "/admin", lang.t("admin.search"), active);
        if (Permission.POLICY_STATUS.allows(actor)) {
            tab(h, "/admin/policy", lang.t("admin.policy"), active);
        }
        if (Permission.USERS.allows(actor)) {
            tab(h, "/admin/users", lang.t("admin.users"), active);
        }
        if (Permission.AUDIT.allows(actor)) {
            tab(h, "/admin/audit", lang.t("admin.audit"), active);
        }
        return h.raw("</nav>");
    }

    private static void tab(Html h, String href, String label, String active) {
        h.raw("<a href=\"").raw(href).raw("\"").raw(href.equals(active) ? " class=\"active\"" : "").raw(">").text(label)
                .raw("</a>");
    }

    Html searchForm(Lang lang, Filters f) {
        Html h = new Html().raw("<form method=\"get\" action=\"/admin\" class=\"filters\" id=\"filters\">");
        h.raw("<label>").text(lang.t("col.state")).raw("<select name=\"state\"><option value=\"\">")
                .text(lang.t("filter.any")).raw("</option>");
        for (HoldState s : HoldState.values()) {
            h.raw("<option value=\"").raw(s.name()).raw("\"").raw(s.name().equals(f.state()) ? " selected" : "").raw(">")
                    .text(Display.state(lang, s.name())).raw("</option>");
        }
        h.raw("</select></label>");
        dateInput(h, lang.t("filter.from"), "from", f.from());
        dateInput(h, lang.t("filter.to"), "to", f.to());
        textInput(h, lang.t("col.sender"), "sender", f.sender());
        textInput(h, lang.t("col.rule"), "rule", f.rule());
        return h.raw("<button type=\"submit\">").text(lang.t("filter.search")).raw("</button></form>");
    }

    private static void dateInput(Html h, String label, String name, LocalDate value) {
        h.raw("<label>").text(label).raw("<input type=\"date\" name=\"").raw(name).raw("\" value=\"")
                .attr(value == null ? "" : value.toString()).raw("\"></label>");
    }

    private static void textInput(Html h, String label, String name, String value) {
        h.raw("<label>").text(label).raw("<input type=\"text\" name=\"").raw(name).raw("\" value=\"")
                .attr(value == null ? "" : value).raw("\" maxlength=\"256\"></label>");
    }

    Html policy(Lang lang, Actor actor, String csrf, PolicyStatus s, String done) {
        Html h = new Html();
        if ("reloaded".equals(done)) {
            h.raw("<p class=\"notice\" id=\"notice\">").text(lang.t("done.reloaded")).raw("</p>");
        }
        h.raw("<dl class=\"facts\" id=\"policy-status\">");
        fact(h, lang.t("policy.version"), s.activeVersion());
        fact(h, lang.t("policy.name"), s.name());
        fact(h, lang.t("policy.activated"), display.time(s.activatedAt()));
        fact(h, lang.t("policy.files"), String.join(", ", s.files()));
        h.raw("</dl>");
        if (s.rejectedVersion() != null) {
            h.raw("<div class=\"error-box\" id=\"policy-errors\"><p>").text(lang.t("policy.rejected", s.rejectedVersion()))
                    .raw("</p><ul>");
            for (String e : s.errors()) {
                h.raw("<li><code>").text(e).raw("</code></li>");
            }
            h.raw("</ul></div>");
        } else {
            h.raw("<p class=\"ok\" id=\"policy-ok\">").text(lang.t("policy.ok")).raw("</p>");
        }
        if (Permission.POLICY_RELOAD.allows(actor)) {
            h.raw("<form method=\"post\" action=\"/admin/policy/reload\">").csrf(csrf)
                    .raw("<button type=\"submit\" class=\"secondary\" id=\"reload\">").text(lang.t("policy.reload"))
                    .raw("</button></form>");
        }
        return h;
    }

    Html users(Lang lang, Collection<SmtpUser> users) {
        Html h = new Html().raw("<table class=\"users\" id=\"users\"><thead><tr>");
        for (String k : List.of("user.name", "user.addresses", "user.roles", "user.totp", "user.tokens", "user.login")) {
            h.el("th", null, lang.t(k));
        }
        h.raw("</tr></thead><tbody>");
        for (SmtpUser u : users) {
            h.raw("<tr>");
            ItemViews.cell(h, lang.t("user.name"), u.name());
            ItemViews.cell(h, lang.t("user.addresses"), String.join(", ", u.addresses()));
            ItemViews.cell(h, lang.t("user.roles"), String.join(", ", u.roles().stream().sorted()
                    .map(r -> lang.t("role." + r.name())).toList()));
            ItemViews.cell(h, lang.t("user.totp"), u.totpSecret() != null ? lang.t("yes") : lang.t("no"));
            ItemViews.cell(h, lang.t("user.tokens"), Integer.toString(u.tokens().size()));
            ItemViews.cell(h, lang.t("user.login"), u.canLogIn() ? lang.t("yes") : lang.t("no"));
            h.raw("</tr>");
        }
        return h.raw("</tbody></table><p class=\"hint\">").text(lang.t("user.hint")).raw("</p>");
    }

    Html audit(Lang lang, List<AuditLine> lines) {
        Html h = new Html();
        if (lines.isEmpty()) {
            return h.raw("<p class=\"empty\">").text(lang.t("audit.empty")).raw("</p>");
        }
        h.raw("<table class=\"audit\" id=\"audit\"><thead><tr>");
        for (String k : List.of("history.at", "col.ref", "history.action", "history.actor", "history.state",
                "history.comment")) {
            h.el("th", null, lang.t(k));
        }
        h.raw("</tr></thead><tbody>");
        for (AuditLine l : lines) {
            h.raw("<tr>");
            ItemViews.cell(h, lang.t("history.at"), display.time(l.transition().at()));
            h.raw("<td data-label=\"").attr(lang.t("col.ref")).raw("\"><a href=\"/items/").attr(l.referenceId()).raw("\">")
                    .text(l.referenceId()).raw("</a></td>");
            ItemViews.cell(h, lang.t("history.action"), Display.action(lang, l.transition().action()));
            ItemViews.cell(h, lang.t("history.actor"), l.transition().actor());
            ItemViews.cell(h, lang.t("history.state"), ItemViews.states(lang, l.transition()));
            ItemViews.cell(h, lang.t("history.comment"), l.transition().comment());
            h.raw("</tr>");
        }
        return h.raw("</tbody></table>");
    }

    static String roleNames(java.util.Set<Role> roles) {
        return String.join(",", roles.stream().sorted().map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static void fact(Html h, String label, String value) {
        h.raw("<dt>").text(label).raw("</dt><dd>").text(value == null ? "-" : value).raw("</dd>");
    }
}
