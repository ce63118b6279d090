package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.LocalizedText;
import jp.mynaguard.policy.rules.NumberGuard;

/**
 * The answers the proxy writes itself, Japanese first with English alongside: the block,
 * quarantine and approval pages (what was found, masked; which rule; the reference id; whom to
 * contact) and the error pages (400, 407, 413, 502...). Clients that ask for
 * {@code application/json} get the same facts as JSON. Nothing echoed from a request or a
 * finding can carry digits of a number: locations are redacted, values are only ever masked.
 */
final class ProxyPages {
    /** The path of the approval request button's target, on whichever host the blocked upload went to. */
    static final String APPROVAL_PATH = "/.well-known/mynaguard/approval-request";
    private static final int MAX_FINDINGS_SHOWN = HttpProxyLimits.MAX_FINDINGS_SHOWN;
    private static final JsonFactory JSON = new JsonFactory();

    /** What a decision page says. {@code reason} and {@code contact} may be null. */
    record DecisionFacts(String referenceId, Action action, String rule, LocalizedText reason, List<Finding> findings,
                         List<Unscannable> unscannable, String host, String contact, long approvalWindowMinutes) {
        DecisionFacts {
            findings = List.copyOf(findings);
            unscannable = List.copyOf(unscannable);
        }
    }

    private ProxyPages() {
    }

    /** An error page: the status, a sentence in each language, and an optional reference id. */
    static FullHttpResponse error(HttpResponseStatus status, String ja, String en, String ref, boolean json) {
        if (json) {
            return response(status, jsonError(status, ja, en, ref), true);
        }
        StringBuilder b = head(status.code() + " " + status.reasonPhrase());
        b.append("<h1>").append(esc(ja)).append("</h1>\n<p lang=\"en\">").append(esc(en)).append("</p>\n");
        if (ref != null) {
            b.append("<p>参照番号 / Reference: <code>").append(esc(ref)).append("</code></p>\n");
        }
        return response(status, b.append("</body></html>\n").toString(), false);
    }

    static FullHttpResponse decision(DecisionFacts f, boolean json) {
        HttpResponseStatus status = HttpResponseStatus.FORBIDDEN;
        if (json) {
            return response(status, jsonDecision(f), true);
        }
        StringBuilder b = head("Mynaguard: " + (f.action() == Action.APPROVE ? "承認が必要です / Approval required"
                : "送信を止めました / Upload stopped"));
        b.append("<h1>").append(esc(titleJa(f))).append("</h1>\n<p lang=\"en\"><b>").append(esc(titleEn(f)))
                .append("</b></p>\n");
        if (f.reason() != null) {
            b.append("<p>").append(esc(f.reason().ja())).append("<br><span lang=\"en\">").append(esc(f.reason().en()))
                    .append("</span></p>\n");
        }
        b.append("<table>\n");
        row(b, "宛先 / Destination", f.host());
        row(b, "ルール / Rule", f.rule());
        row(b, "参照番号 / Reference", f.referenceId());
        b.append("</table>\n<h2>検出内容 / What was found <small>(番号は伏せています / numbers masked)</small></h2>\n");
        findings(b, f);
        if (f.action() == Action.APPROVE) {
            b.append("<form method=\"post\" action=\"").append(APPROVAL_PATH).append("\">\n")
                    .append("<input type=\"hidden\" name=\"ref\" value=\"").append(esc(f.referenceId())).append("\">\n")
                    .append("<p><label>理由（任意） / Reason (optional)<br><textarea name=\"reason\" rows=\"3\" cols=\"60\">"
                            + "</textarea></label></p>\n")
                    .append("<p><button type=\"submit\">承認を依頼する / Request approval</button></p>\n</form>\n")
                    .append("<p>承認されたら、").append(f.approvalWindowMinutes())
                    .append("分以内に同じ内容をもう一度送信してください（一度だけ通ります）。内容を変えると新しい承認が必要です。<br>")
                    .append("<span lang=\"en\">Once approved, send the same content again within ")
                    .append(f.approvalWindowMinutes()).append(" minutes (it passes once). Any change needs a new approval.</span></p>\n");
        } else {
            b.append("<p>マイナンバーを削除してから送り直してください。業務上必要な場合は参照番号を添えて相談してください。<br>")
                    .append("<span lang=\"en\">Remove the My Numbers and send again. If you need to send them for work, "
                            + "contact us with the reference number.</span></p>\n");
        }
        if (f.contact() != null) {
            b.append("<p>問い合わせ先 / Contact: ").append(esc(f.contact())).append("</p>\n");
        }
        return response(status, b.append("</body></html>\n").toString(), false);
    }

    private static String titleJa(DecisionFacts f) {
        return switch (f.action()) {
            case APPROVE -> "このアップロードには承認が必要です。まだ送信されていません。";
            case QUARANTINE, HOLD -> "このアップロードは止められ、管理者が確認するために保管されました。";
            default -> "このアップロードはマイナンバーなどの個人情報を含むため、送信されませんでした。";
        };
    }

    private static String titleEn(DecisionFacts f) {
        return switch (f.action()) {
            case APPROVE -> "This upload needs an approval. It has not been sent.";
            case QUARANTINE, HOLD -> "This upload was stopped and kept for review by an administrator.";
            default -> "This upload was not sent: it contains personal data such as My Numbers.";
        };
    }

    private static void findings(StringBuilder b, DecisionFacts f) {
        if (f.findings().isEmpty() && f.unscannable().isEmpty()) {
            b.append("<p>（検出なし / nothing found）</p>\n");
            return;
        }
        b.append("<table>\n<tr><th>種類 / Type</th><th>確度 / Level</th><th>場所 / Location</th><th>値 / Value</th></tr>\n");
        int shown = 0;
        for (Finding x : f.findings()) {
            if (shown++ == MAX_FINDINGS_SHOWN) {
                b.append("<tr><td colspan=\"4\">… ").append(f.findings().size() - MAX_FINDINGS_SHOWN)
                        .append(" more</td></tr>\n");
                break;
            }
            b.append("<tr><td>").append(x.type()).append("</td><td>").append(x.level()).append("</td><td>")
                    .append(esc(location(x.location()))).append("</td><td><code>").append(esc(x.masked()))
                    .append("</code></td></tr>\n");
        }
        for (Unscannable u : f.unscannable()) {
            b.append("<tr><td>検査できない / not inspectable</td><td>").append(esc(u.reason().label()))
                    .append("</td><td>").append(esc(location(u.location()))).append("</td><td></td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static String location(String l) {
        return NumberGuard.redact(l == null || l.isEmpty() ? "request" : l);
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(NumberGuard.redact(value)))
                .append("</td></tr>\n");
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(2048).append("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
                        + "</style></head><body>\n<p><b>Mynaguard</b></p>\n");
    }

    private static String jsonError(HttpResponseStatus status, String ja, String en, String ref) {
        return json(g -> {
            g.writeNumberField("status", status.code());
            g.writeStringField("error", en);
            g.writeStringField("error_ja", ja);
            if (ref != null) {
                g.writeStringField("reference", ref);
            }
        });
    }

    private static String jsonDecision(DecisionFacts f) {
        return json(g -> {
            g.writeStringField("action", f.action().name().toLowerCase(java.util.Locale.ROOT));
            g.writeStringField("reference", f.referenceId());
            g.writeStringField("rule", NumberGuard.redact(f.rule()));
            g.writeStringField("host", NumberGuard.redact(f.host()));
            g.writeStringField("message", titleEn(f));
            g.writeStringField("message_ja", titleJa(f));
            if (f.reason() != null) {
                g.writeStringField("reason", f.reason().en());
                g.writeStringField("reason_ja", f.reason().ja());
            }
            g.writeArrayFieldStart("findings");
            for (Finding x : f.findings()) {
                g.writeStartObject();
                g.writeStringField("type", x.type().name());
                g.writeStringField("level", x.level().name());
                g.writeStringField("location", location(x.location()));
                g.writeStringField("masked", x.masked());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("unscannable");
            for (Unscannable u : f.unscannable()) {
                g.writeStartObject();
                g.writeStringField("reason", u.reason().label());
                g.writeStringField("location", location(u.location()));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (f.action() == Action.APPROVE) {
                g.writeStringField("approval_request", APPROVAL_PATH);
                g.writeNumberField("approval_window_minutes", f.approvalWindowMinutes());
            }
            if (f.contact() != null) {
                g.writeStringField("contact", f.contact());
            }
        });
    }

    private interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(JsonBody body) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string", e);
        }
        return w.append('\n').toString();
    }

    static FullHttpResponse response(HttpResponseStatus status, String body, boolean json) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json; charset=utf-8" : "text/html; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff");
        return r;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
