package jp.mynaguard.proxy.console;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One request as the console's routes see it, detached from Netty (the handler copies it out of
 * the aggregated request, so routes run on a worker thread with no buffers to release).
 *
 * @param uri           the request target as sent (path and query), for links back to the same page
 * @param path          the decoded path, without the query
 * @param query         query parameters (first value counts)
 * @param headers       header names in lower case, first value
 * @param cookies       cookie name to value
 * @param clientAddress the peer's IP address as text (for rate limits and the audit)
 * @param secure        whether the connection is TLS (cookies get {@code Secure} and the {@code __Host-} prefix)
 */
record ConsoleRequest(String method, String uri, String path, Map<String, List<String>> query, Map<String, String> headers,
                      Map<String, String> cookies, byte[] body, String clientAddress, boolean secure) {

    ConsoleRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        cookies = Map.copyOf(cookies);
    }

    /** The request target for a link back here: only a local path ({@code /...}, never {@code //host}). */
    String here() {
        return uri.startsWith("/") && !uri.startsWith("//") ? uri : "/";
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    /** The first value of a query parameter, or {@code null}. */
    String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    boolean isPost() {
        return "POST".equals(method);
    }

    boolean isGet() {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    /** An {@code application/x-www-form-urlencoded} body (first value per name); empty for other types. */
    Map<String, String> form() {
        String type = header("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        QueryStringDecoder d = new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                false, 64);
        java.util.HashMap<String, String> out = new java.util.HashMap<>();
        d.parameters().forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v.get(0));
            }
        });
        return out;
    }
}
