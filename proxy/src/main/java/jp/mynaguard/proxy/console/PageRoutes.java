package jp.mynaguard.proxy.console;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldWorkflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTML pages of a logged-in user. Reading pages are GETs; every change is a POST whose CSRF
 * token {@link ConsoleApp} has already checked, answered with a redirect to the item (so a
 * reload does not repeat it). Refusals become the error page in the user's language.
 */
final class PageRoutes {
    private static final Logger log = LoggerFactory.getLogger(PageRoutes.class);

    private final ConsoleActions actions;
    private final ItemViews items;
    private final AdminViews admin;

    PageRoutes(ConsoleActions actions, Display display) {
        this.actions = actions;
        this.items = new ItemViews(display);
        this.admin = new AdminViews(display);
    }

    ConsoleResponse handle(ConsoleRequest r, ConsoleAuth.Authenticated a, Lang lang) throws IOException {
        Actor actor = a.actor();
        String csrf = a.session().csrfToken;
        try {
            return route(r, actor, csrf, lang);
        } catch (Refusal e) {
            return error(r, lang, actor, csrf, e.status, e.pageKey());
        }
    }

    private ConsoleResponse route(ConsoleRequest r, Actor actor, String csrf, Lang lang) throws IOException, Refusal {
        String path = r.path();
        String[] seg = path.substring(1).split("/", -1);
        switch (seg[0]) {
            case "" -> {
                get(r);
                return ConsoleResponse.redirect(Permission.AWAITING.allows(actor) ? "/approvals" : "/my");
            }
            case "my" -> {
                get(r);
                single(seg);
                List<HeldItem> mine = actions.mine(actor);
                Html body = new Html().el("h1", null, lang.t("my.title"))
                        .raw(items.list(lang, mine, actions.lastComments(actor, mine), lang.t("my.empty")).toString());
                return page(lang, lang.t("my.title"), actor, csrf, r, body);
            }
            case "approvals" -> {
                get(r);
                single(seg);
                Html body = new Html().el("h1", null, lang.t("approvals.title"))
                        .raw(items.list(lang, actions.awaiting(actor), Map.of(), lang.t("approvals.empty")).toString());
                return page(lang, lang.t("approvals.title"), actor, csrf, r, body);
            }
            case "items" -> {
                return item(r, seg, actor, csrf, lang);
            }
            case "admin" -> {
                return admin(r, seg, actor, csrf, lang);
            }
            default -> throw Refusal.notFound("no such page");
        }
    }

    private ConsoleResponse item(ConsoleRequest r, String[] seg, Actor actor, String csrf, Lang lang)
            throws IOException, Refusal {
        if (seg.length == 2) {
            get(r);
            HoldWorkflow.ItemDetail d = actions.detail(actor, seg[1]);
            return page(lang, lang.t("item.title", d.item().referenceId()), actor, csrf, r,
                    items.detail(lang, actor, csrf, d, r.param("done")));
        }
        if (seg.length != 3) {
            throw Refusal.notFound("no such page");
        }
        post(r);
        String ref = seg[1];
        String comment = r.form().get("comment");
        String done;
        switch (seg[2]) {
            case "approve" -> {
                actions.decide(actor, ref, ConsoleActions.Decision.APPROVE, comment);
                done = "approved";
            }
            case "reject" -> {
                actions.decide(actor, ref, ConsoleActions.Decision.REJECT, comment);
                done = "rejected";
            }
            case "cancel" -> {
                actions.cancel(actor, ref, comment);
                done = "cancelled";
            }
            case "reveal" -> {
                ConsoleActions.Revealed rev = actions.reveal(actor, ref);
                log.info("console reveal: {} revealed item {}", actor.login(), rev.detail().item().referenceId());
                return page(lang, lang.t("reveal.title", rev.detail().item().referenceId()), actor, csrf, r,
                        RevealView.render(lang, rev.detail().item(), rev.content()));
            }
            default -> throw Refusal.notFound("no such action");
        }
        log.info("console: {} {} item {}", actor.login(), done, ref);
        return ConsoleResponse.redirect("/items/" + ref + "?done=" + done);
    }

    private ConsoleResponse admin(ConsoleRequest r, String[] seg, Actor actor, String csrf, Lang lang)
            throws IOException, Refusal {
        String sub = seg.length > 1 ? seg[1] : "";
        Html body = new Html().el("h1", null, lang.t("admin.title"));
        switch (sub + (seg.length > 2 ? "/" + seg[2] : "")) {
            case "" -> {
                get(r);
                AdminViews.Filters f = ConsoleActions.filters(r);
                List<HeldItem> found = actions.search(actor, f);
                body.raw(admin.tabs(lang, actor, "/admin").toString()).raw(admin.searchForm(lang, f).toString())
                        .raw(items.list(lang, found, Map.of(), lang.t("admin.empty")).toString());
            }
            case "policy" -> {
                get(r);
                PolicyStatus s = actions.policy(actor);
                body.raw(admin.tabs(lang, actor, "/admin/policy").toString())
                        .raw(admin.policy(lang, actor, csrf, s, r.param("done")).toString());
            }
            case "policy/reload" -> {
                post(r);
                actions.reloadPolicy(actor);
                log.info("console: {} reloaded the policy", actor.login());
                return ConsoleResponse.redirect("/admin/policy?done=reloaded");
            }
            case "users" -> {
                get(r);
                body.raw(admin.tabs(lang, actor, "/admin/users").toString())
                        .raw(admin.users(lang, actions.users(actor)).toString());
            }
            case "audit" -> {
                get(r);
                body.raw(admin.tabs(lang, actor, "/admin/audit").toString())
                        .raw(admin.audit(lang, actions.audit(actor)).toString());
            }
            default -> throw Refusal.notFound("no such page");
        }
        return page(lang, lang.t("admin.title"), actor, csrf, r, body);
    }

    private static ConsoleResponse page(Lang lang, String title, Actor actor, String csrf, ConsoleRequest r, Html body) {
        String here = r.isGet() ? r.here() : "/";
        return ConsoleResponse.html(200, Layout.page(lang, title, actor, csrf, here, body));
    }

    static ConsoleResponse error(ConsoleRequest r, Lang lang, Actor actor, String csrf, int status, String key) {
        return ConsoleResponse.html(status, AccessViews.error(lang, status, key, actor, csrf, r.isGet() ? r.here() : "/"));
    }

    private static void get(ConsoleRequest r) throws Refusal {
        if (!r.isGet()) {
            throw new Refusal(405, "method", "GET only");
        }
    }

    private static void post(ConsoleRequest r) throws Refusal {
        if (!r.isPost()) {
            throw new Refusal(405, "method", "POST only");
        }
    }

    private static void single(String[] seg) throws Refusal {
        if (seg.length != 1) {
            throw Refusal.notFound("no such page");
        }
    }
}
