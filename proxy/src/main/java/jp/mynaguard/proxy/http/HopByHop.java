package jp.mynaguard.proxy.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1) and re-framing. What is forwarded is a new message:
 * the end-to-end fields as received, the names listed in {@code Connection} and the fixed
 * hop-by-hop names removed, and our own framing (a Content-Length for the exact body we send,
 * never the client's Transfer-Encoding or Expect).
 */
final class HopByHop {
    private static final List<CharSequence> FIXED = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE);

    private HopByHop() {
    }

    /**
     * The request sent to the origin: HTTP/1.1, origin-form target, Host from the target, the
     * end-to-end fields, and {@code Content-Length: bodyLength} when there is a body or the
     * method usually has one.
     *
     * @param upgrade keep {@code Upgrade}/{@code Connection: upgrade} (an allowed WebSocket handshake)
     */
    static HttpRequest forward(HttpRequest in, RequestTarget target, long bodyLength, boolean upgrade) {
        HttpHeaders h = new DefaultHttpHeaders(false);
        h.add(in.headers());
        String upgradeTo = in.headers().get(HttpHeaderNames.UPGRADE);
        strip(h);
        h.remove(HttpHeaderNames.HOST);
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.remove(HttpHeaderNames.EXPECT);
        h.set(HttpHeaderNames.HOST, target.hostHeader());
        HttpMethod m = in.method();
        if (bodyLength > 0 || m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
        }
        if (upgrade && upgradeTo != null) {
            h.set(HttpHeaderNames.UPGRADE, upgradeTo);
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, m, target.path(), h);
    }

    /** Removes the hop-by-hop fields of an origin response; the caller sets the framing towards the client. */
    static void cleanResponse(HttpResponse r) {
        boolean switching = r.status().code() == 101;
        String upgrade = r.headers().get(HttpHeaderNames.UPGRADE);
        strip(r.headers());
        if (switching && upgrade != null) {
            r.headers().set(HttpHeaderNames.UPGRADE, upgrade);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
    }

    /** Removes the fixed hop-by-hop names and every name listed in Connection. */
    static void strip(HttpHeaders h) {
        List<String> listed = new ArrayList<>();
        for (String v : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : v.split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (!n.isEmpty()) {
                    listed.add(n);
                }
            }
        }
        for (CharSequence name : FIXED) {
            h.remove(name);
        }
        for (String n : listed) {
            h.remove(n);
        }
    }

    /** Whether the client wants the connection kept after this request (HTTP/1.1 default yes, 1.0 default no). */
    static boolean clientKeepAlive(HttpRequest r) {
        return HttpUtil.isKeepAlive(r) && !r.headers().containsValue(HttpHeaderNames.PROXY_CONNECTION, "close", true);
    }

    /** Whether the request asks to switch to WebSocket. */
    static boolean isWebSocketUpgrade(HttpRequest r) {
        return r.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }
}
