package jp.mynaguard.proxy.console;

import java.util.List;
import java.util.Map;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.hold.Role;

/**
 * Item lists and the item page. Lists show metadata only (the store's masked columns); the item
 * page adds subject, recipients with the external ones marked, attachments, the findings
 * (masked values and contexts) and the history, and offers exactly the actions the workflow
 * says this user may take now.
 */
final class ItemViews {
    private final Display display;

    ItemViews(Display display) {
        this.display = display;
    }

    /**
     * A table of items (a card per item on a phone).
     *
     * @param comments last decision comment per reference id, shown in a column when not empty
     */
    Html list(Lang lang, List<HeldItem> items, Map<String, String> comments, String empty) {
        Html h = new Html();
        if (items.isEmpty()) {
            return h.raw("<p class=\"empty\">").text(empty).raw("</p>");
        }
        h.raw("<table class=\"items\"><thead><tr>");
        for (String k : List.of("col.received", "col.ref", "col.kind", "col.state", "col.sender", "col.recipients",
                "col.rule", "col.findings")) {
            h.el("th", null, lang.t(k));
        }
        if (!comments.isEmpty()) {
            h.el("th", null, lang.t("col.comment"));
        }
        h.raw("</tr></thead><tbody>");
        for (HeldItem i : items) {
            h.raw("<tr class=\"item\" data-ref=\"").attr(i.referenceId()).raw("\">");
            cell(h, lang.t("col.received"), display.time(i.receivedAt()));
            h.raw("<td data-label=\"").attr(lang.t("col.ref")).raw("\"><a class=\"ref\" href=\"/items/")
                    .attr(i.referenceId()).raw("\">").text(i.referenceId()).raw("</a></td>");
            cell(h, lang.t("col.kind"), Display.kind(lang, i.kind()));
            h.raw("<td data-label=\"").attr(lang.t("col.state")).raw("\"><span class=\"").raw(Display.stateClass(i.state()))
                    .raw("\">").text(Display.state(lang, i.state())).raw("</span></td>");
            cell(h, lang.t("col.sender"), i.sender());
            cell(h, lang.t("col.recipients"), String.join(", ", i.recipients()));
            cell(h, lang.t("col.rule"), i.rule());
            cell(h, lang.t("col.findings"), i.findingsSummary());
            if (!comments.isEmpty()) {
                cell(h, lang.t("col.comment"), comments.getOrDefault(i.referenceId(), ""));
            }
            h.raw("</tr>");
        }
        return h.raw("</tbody></table>");
    }

    /** The item page. {@code done} is the action just taken (after the redirect), or {@code null}. */
    Html detail(Lang lang, Actor actor, String csrf, HoldWorkflow.ItemDetail d, String done) {
        HeldItem i = d.item();
        Html h = new Html();
        if (done != null && lang.keys().contains("done." + done)) {
            h.raw("<p class=\"notice\" id=\"notice\">").text(lang.t("done." + done)).raw("</p>");
        }
        h.raw("<h1 id=\"subject\">").text(d.subject() == null || d.subject().isBlank() ? lang.t("item.nosubject")
                : d.subject()).raw("</h1>");
        h.raw("<dl class=\"facts\">");
        fact(h, lang.t("col.ref"), i.referenceId());
        h.raw("<dt>").text(lang.t("col.state")).raw("</dt><dd><span id=\"state\" class=\"").raw(Display.stateClass(i.state()))
                .raw("\">").text(Display.state(lang, i.state())).raw("</span></dd>");
        fact(h, lang.t("col.kind"), Display.kind(lang, i.kind()));
        fact(h, lang.t("col.sender"), i.sender());
        h.raw("<dt>").text(lang.t("col.recipients")).raw("</dt><dd><ul class=\"recipients\">");
        for (String r : i.recipients()) {
            boolean external = d.externalRecipients().stream().anyMatch(r::equalsIgnoreCase);
            h.raw("<li>").text(r);
            if (external) {
                h.raw(" <span class=\"badge external\">").text(lang.t("item.external")).raw("</span>");
            }
            h.raw("</li>");
        }
        h.raw("</ul></dd>");
        fact(h, lang.t("col.received"), display.time(i.receivedAt()));
        if (i.releaseAfter() != null) {
            fact(h, lang.t("item.releaseAfter"), display.time(i.releaseAfter()));
        }
        if (d.expiresAt() != null) {
            fact(h, lang.t("item.expires"), display.time(d.expiresAt()));
        }
        fact(h, lang.t("col.rule"), i.rule());
        fact(h, lang.t("item.policy"), i.policyVersion());
        fact(h, lang.t("item.size"), Display.size(i.sizeBytes()));
        if (!d.approvers().isEmpty()) {
            fact(h, lang.t("item.approvers"), String.join(", ", d.approvers()));
        }
        if (!d.backupApprovers().isEmpty()) {
            fact(h, lang.t("item.backups"), String.join(", ", d.backupApprovers()));
        }
        h.raw("</dl>");
        attachments(h, lang, d.attachments());
        findings(h, lang, d.findings());
        actions(h, lang, actor, csrf, d);
        history(h, lang, d.history());
        return h;
    }

    private void attachments(Html h, Lang lang, List<HoldWorkflow.Attachment> attachments) {
        h.el("h2", null, lang.t("item.attachments"));
        if (attachments.isEmpty()) {
            h.raw("<p class=\"empty\">").text(lang.t("item.noattachments")).raw("</p>");
            return;
        }
        h.raw("<ul class=\"attachments\">");
        for (HoldWorkflow.Attachment a : attachments) {
            h.raw("<li>").text(a.name()).raw(" <span class=\"size\">(").text(Display.size(a.sizeBytes())).raw(")</span></li>");
        }
        h.raw("</ul>");
    }

    private void findings(Html h, Lang lang, List<HoldWorkflow.Finding> findings) {
        h.el("h2", null, lang.t("item.findings"));
        if (findings.isEmpty()) {
            h.raw("<p class=\"empty\">").text(lang.t("item.nofindings")).raw("</p>");
            return;
        }
        h.raw("<table class=\"findings\" id=\"findings\"><thead><tr>");
        for (String k : List.of("finding.type", "finding.level", "finding.location", "finding.value", "finding.context")) {
            h.el("th", null, lang.t(k));
        }
        h.raw("</tr></thead><tbody>");
        for (HoldWorkflow.Finding f : findings) {
            h.raw("<tr>");
            cell(h, lang.t("finding.type"), f.type());
            cell(h, lang.t("finding.level"), f.level());
            cell(h, lang.t("finding.location"), f.location());
            h.raw("<td data-label=\"").attr(lang.t("finding.value")).raw("\"><code>").text(f.masked()).raw("</code></td>");
            cell(h, lang.t("finding.context"), f.context());
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    private void actions(Html h, Lang lang, Actor actor, String csrf, HoldWorkflow.ItemDetail d) {
        HeldItem i = d.item();
        String base = "/items/" + Html.escape(i.referenceId());
        boolean held = HoldState.HELD.name().equals(i.state());
        if (d.mayDecide() && Permission.DECIDE.allows(actor)) {
            h.raw("<form method=\"post\" class=\"decide\" id=\"decide\" action=\"").raw(base).raw("/approve\">").csrf(csrf)
                    .raw("<label for=\"comment\">").text(lang.t("item.comment")).raw("</label>")
                    .raw("<textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"")
                    .raw(Integer.toString(ConsoleLimits.MAX_COMMENT_CHARS)).raw("\"></textarea><div class=\"buttons\">")
                    .raw("<button type=\"submit\" class=\"approve\" id=\"approve\">").text(lang.t("item.approve"))
                    .raw("</button><button type=\"submit\" class=\"reject\" id=\"reject\" formaction=\"").raw(base)
                    .raw("/reject\">").text(lang.t("item.reject")).raw("</button></div></form>");
        }
        boolean own = !actor.address().isEmpty() && actor.address().equalsIgnoreCase(i.sender());
        if (own && held && i.kind() != HoldKind.QUARANTINE) {
            String label = i.kind() == HoldKind.HOLD ? lang.t("item.cancel") : lang.t("item.withdraw");
            h.raw("<form method=\"post\" class=\"cancel\" id=\"cancel-form\" action=\"").raw(base).raw("/cancel\">")
                    .csrf(csrf).raw("<label for=\"cancel-comment\">").text(lang.t("item.comment")).raw("</label>")
                    .raw("<textarea id=\"cancel-comment\" name=\"comment\" rows=\"2\" maxlength=\"")
                    .raw(Integer.toString(ConsoleLimits.MAX_COMMENT_CHARS)).raw("\"></textarea>")
                    .raw("<button type=\"submit\" class=\"reject\" id=\"cancel\">").text(label).raw("</button></form>");
        }
        if (actor.has(Role.REVEAL)) {
            h.raw("<form method=\"post\" class=\"reveal\" action=\"").raw(base).raw("/reveal\">").csrf(csrf)
                    .raw("<button type=\"submit\" class=\"secondary\" id=\"reveal\">").text(lang.t("item.reveal"))
                    .raw("</button><span class=\"hint\">").text(lang.t("item.revealHint")).raw("</span></form>");
        }
    }

    private void history(Html h, Lang lang, List<HoldWorkflow.Transition> history) {
        h.el("h2", null, lang.t("item.history"));
        h.raw("<table class=\"history\" id=\"history\"><thead><tr>");
        for (String k : List.of("history.at", "history.action", "history.actor", "history.state", "history.comment")) {
            h.el("th", null, lang.t(k));
        }
        h.raw("</tr></thead><tbody>");
        for (HoldWorkflow.Transition t : history) {
            h.raw("<tr>");
            cell(h, lang.t("history.at"), display.time(t.at()));
            cell(h, lang.t("history.action"), Display.action(lang, t.action()));
            cell(h, lang.t("history.actor"), t.actor());
            cell(h, lang.t("history.state"), states(lang, t));
            h.raw("<td data-label=\"").attr(lang.t("history.comment")).raw("\" class=\"comment\">")
                    .text(t.comment() == null ? "" : t.comment()).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    static String states(Lang lang, HoldWorkflow.Transition t) {
        if (t.from() == null && t.to() == null) {
            return "";
        }
        if (t.from() == null || t.from() == t.to()) {
            return Display.state(lang, t.to() == null ? null : t.to().name());
        }
        return Display.state(lang, t.from().name()) + " → " + Display.state(lang, t.to() == null ? null : t.to().name());
    }

    static void cell(Html h, String label, String value) {
        h.raw("<td data-label=\"").attr(label).raw("\">").text(value == null ? "" : value).raw("</td>");
    }

    private static void fact(Html h, String label, String value) {
        h.raw("<dt>").text(label).raw("</dt><dd>").text(value == null ? "" : value).raw("</dd>");
    }
}
