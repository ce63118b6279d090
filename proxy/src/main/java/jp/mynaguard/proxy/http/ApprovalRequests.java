package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.proxy.ReferenceId;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldStore;

/**
 * The "request approval" button of the approval page: a form POST to
 * {@value ProxyPages#APPROVAL_PATH} on the same host the upload went to (same origin, so it
 * works inside intercepted HTTPS too), answered by the proxy itself and never forwarded. The
 * upload is already in the hold store, waiting for approvers in the console; the button records
 * that the user asks for it (with an optional reason, redacted of digit runs) in the audit trail.
 * Only the user who sent the upload may ask.
 */
final class ApprovalRequests {
    private static final int MAX_FORM_BYTES = HttpProxyLimits.MAX_APPROVAL_FORM_BYTES;
    private static final int MAX_REASON = HttpProxyLimits.MAX_APPROVAL_REASON;

    private final HoldStore holds;
    private final AuditSink audit;

    ApprovalRequests(HoldStore holds, AuditSink audit) {
        this.holds = holds;
        this.audit = audit;
    }

    static boolean isApprovalRequest(String method, RequestTarget target) {
        return target != null && "POST".equals(method) && target.pathOnly().equals(ProxyPages.APPROVAL_PATH);
    }

    FullHttpResponse handle(ProxyUser user, String host, SpooledRequest body, boolean json) throws IOException {
        if (body.bodyLength() > MAX_FORM_BYTES) {
            return bad(json);
        }
        String form;
        try (InputStream in = body.openBody()) {
            form = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String ref = field(form, "ref");
        String reason = field(form, "reason");
        if (ref == null || !ReferenceId.looksLike(ref)) {
            return bad(json);
        }
        ref = ref.toUpperCase(Locale.ROOT);
        Optional<HeldItem> item = holds.find(ref);
        String sender = UploadDecider.sender(user);
        if (item.isEmpty() || !"http".equals(item.get().channel()) || item.get().kind() != HoldKind.APPROVE
                || sender.isEmpty() || !item.get().sender().equalsIgnoreCase(sender)) {
            return ProxyPages.error(HttpResponseStatus.NOT_FOUND, "この参照番号の承認待ちアップロードは見つかりません。",
                    "No upload waiting for approval was found under this reference.", ref, json);
        }
        String note = reason == null ? null : NumberGuard.redact(reason.length() > MAX_REASON
                ? reason.substring(0, MAX_REASON) : reason);
        audit.record(AuditEvent.of("approval.request").channel("http").ref(ref).user(user.login())
                .field("sender", user.address()).field("host", host).field("reason", note).build());
        return ProxyPages.response(HttpResponseStatus.OK, json ? "{\"reference\":\"" + ref + "\",\"requested\":true}\n"
                : "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Mynaguard</title></head><body>\n"
                + "<h1>承認を依頼しました。</h1><p lang=\"en\">Approval requested.</p>\n"
                + "<p>参照番号 / Reference: <code>" + ref + "</code></p>\n"
                + "<p>承認されたら、同じ内容をもう一度送信してください。<br><span lang=\"en\">Once it is approved, send the same "
                + "content again.</span></p>\n</body></html>\n", json);
    }

    private static FullHttpResponse bad(boolean json) {
        return ProxyPages.error(HttpResponseStatus.BAD_REQUEST, "承認依頼の形式が正しくありません。",
                "This is not a valid approval request.", null, json);
    }

    /** The first value of {@code name} in an application/x-www-form-urlencoded body, or null. */
    static String field(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(name)) {
                try {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
