package jp.mynaguard.proxy.console;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.HeldItem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api/v1/}: every console action, for scripts ({@code Authorization:
 * Bearer mgt_...}) and for the console's own pages (session cookie plus {@code X-CSRF-Token} on
 * POST). Documented in {@code docs/api.md}. Errors are {@code {"error": CODE, "message": TEXT}}
 * with the HTTP status saying what kind.
 */
final class ApiRoutes {
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    static final String PREFIX = "/api/v1/";

    private final ConsoleActions actions;

    ApiRoutes(ConsoleActions actions) {
        this.actions = actions;
    }

    ConsoleResponse handle(ConsoleRequest r, Actor actor) throws IOException {
        try {
            return route(r, actor);
        } catch (Refusal e) {
            return error(e.status, e.code, e.getMessage());
        }
    }

    static ConsoleResponse error(int status, String code, String message) {
        return ConsoleResponse.json(status, ApiJson.error(code, message));
    }

    private ConsoleResponse route(ConsoleRequest r, Actor actor) throws IOException, Refusal {
        if (!r.path().startsWith(PREFIX)) {
            throw Refusal.notFound("unknown API path; see docs/api.md");
        }
        String[] seg = r.path().substring(PREFIX.length()).split("/", -1);
        String route = seg[0] + (seg.length > 1 ? "/" + (seg[0].equals("items") && seg.length >= 2 && !isList(seg[1])
                ? "{ref}" : seg[1]) : "") + (seg.length > 2 ? "/" + seg[2] : "") + (seg.length > 3 ? "/..." : "");
        switch (route) {
            case "me" -> {
                get(r);
                return ok(ApiJson.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("login", actor.login());
                    g.writeStringField("address", actor.address());
                    ApiJson.strings(g, "roles", actor.roles().stream().sorted()
                            .map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
                    g.writeEndObject();
                }));
            }
            case "items/mine" -> {
                get(r);
                return ok(ApiJson.items(actions.mine(actor)));
            }
            case "items/awaiting" -> {
                get(r);
                return ok(ApiJson.items(actions.awaiting(actor)));
            }
            case "items" -> {
                get(r);
                return ok(ApiJson.items(actions.search(actor, ConsoleActions.filters(r))));
            }
            case "items/{ref}" -> {
                get(r);
                return ok(ApiJson.detail(actions.detail(actor, seg[1])));
            }
            case "items/{ref}/approve", "items/{ref}/reject", "items/{ref}/cancel" -> {
                post(r);
                String comment = body(r).get("comment");
                HeldItem done = switch (seg[2]) {
                    case "approve" -> actions.decide(actor, seg[1], ConsoleActions.Decision.APPROVE, comment);
                    case "reject" -> actions.decide(actor, seg[1], ConsoleActions.Decision.REJECT, comment);
                    default -> actions.cancel(actor, seg[1], comment);
                };
                log.info("console API: {} {} item {}", actor.login(), seg[2], done.referenceId());
                return ok(ApiJson.write(g -> {
                    g.writeStartObject();
                    g.writeFieldName("item");
                    ApiJson.item(g, done);
                    g.writeEndObject();
                }));
            }
            case "items/{ref}/reveal" -> {
                post(r);
                ConsoleActions.Revealed rev = actions.reveal(actor, seg[1]);
                log.info("console API: {} revealed item {}", actor.login(), rev.detail().item().referenceId());
                return ok(ApiJson.revealed(rev));
            }
            case "policy" -> {
                get(r);
                return ok(ApiJson.policy(actions.policy(actor)));
            }
            case "policy/reload" -> {
                post(r);
                log.info("console API: {} reloads the policy", actor.login());
                return ok(ApiJson.policy(actions.reloadPolicy(actor)));
            }
            case "users" -> {
                get(r);
                return ok(ApiJson.users(actions.users(actor)));
            }
            case "audit" -> {
                get(r);
                return ok(ApiJson.audit(actions.audit(actor)));
            }
            default -> throw Refusal.notFound("unknown API path; see docs/api.md");
        }
    }

    private static boolean isList(String s) {
        return s.equals("mine") || s.equals("awaiting");
    }

    /** The body as a JSON object or a form; both carry {@code comment}. */
    private static Map<String, String> body(ConsoleRequest r) throws Refusal {
        String type = r.header("content-type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return r.form();
        }
        return ApiJson.readObject(r.body());
    }

    private static ConsoleResponse ok(byte[] json) {
        return ConsoleResponse.json(200, json);
    }

    private static void get(ConsoleRequest r) throws Refusal {
        if (!r.isGet()) {
            throw new Refusal(405, "method", "use GET");
        }
    }

    private static void post(ConsoleRequest r) throws Refusal {
        if (!r.isPost()) {
            throw new Refusal(405, "method", "use POST");
        }
    }
}
