package jp.mynaguard.proxy.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What is decided from the head alone, before any body is read: where the request goes (absolute
 * form on the proxy port, origin form inside a tunnel), and the refusals that need no content —
 * a direct request to the proxy port, an unknown Expect, a plain-HTTP request to a mail or shell
 * port, a WebSocket upgrade to a host not on {@code websocket_hosts}.
 */
final class RequestAdmission {
    private RequestAdmission() {
    }

    /** Sets the request's target (and WebSocket flag); returns the refusal page, or null when admitted. */
    static FullHttpResponse admit(ProxyRequest req, HttpProxyConfig config, Origin tunnelOrigin) {
        HttpRequest h = req.head;
        try {
            req.target = tunnelOrigin != null
                    ? RequestTarget.inTunnel(tunnelOrigin, h.uri(), h.headers().get(HttpHeaderNames.HOST))
                    : h.uri().startsWith("/") ? null : RequestTarget.absolute(h.uri());
        } catch (IllegalArgumentException e) {
            return page(req, HttpResponseStatus.BAD_REQUEST, "宛先の URL が正しくありません。", "Invalid URL: " + e.getMessage());
        }
        if (req.target == null) {
            return page(req, HttpResponseStatus.BAD_REQUEST, "ここは Mynaguard のプロキシです。ブラウザのプロキシ設定に指定してください。",
                    "This is Mynaguard's proxy port: set it as the proxy in your browser or tool.");
        }
        String expect = h.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
            return page(req, HttpResponseStatus.EXPECTATION_FAILED, "Expect の値に対応していません。", "Unsupported expectation.");
        }
        Origin o = req.target.origin();
        if (!o.tls() && config.deniedPorts().contains(o.port())) {
            return page(req, HttpResponseStatus.FORBIDDEN, "このポートへの HTTP 送信は許可されていません。",
                    "HTTP requests to this port are not allowed.");
        }
        if (HopByHop.isWebSocketUpgrade(h)) {
            // Not inspected, so refused unless the host is listed; see docs/ARCHITECTURE.md.
            req.websocket = config.websocketAllowed(o.host()) && h.method() == HttpMethod.GET;
            if (!req.websocket) {
                return page(req, HttpResponseStatus.FORBIDDEN, "WebSocket の接続は許可されていません（内容を検査できないため）。",
                        "WebSocket connections are not allowed here (their content cannot be inspected).");
            }
        }
        return null;
    }

    private static FullHttpResponse page(ProxyRequest req, HttpResponseStatus status, String ja, String en) {
        return ProxyPages.error(status, ja, en, req.ref, req.json);
    }
}
