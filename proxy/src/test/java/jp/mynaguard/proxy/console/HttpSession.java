package jp.mynaguard.proxy.console;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser-like user of the console over real HTTP (java.net.http with its own cookie jar,
 * no redirects followed so the tests see them): GET pages, POST forms with the CSRF token taken
 * from the last page, or call the API with a bearer token.
 */
final class HttpSession {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern LOGIN_TOKEN = Pattern.compile("name=\"login_token\" value=\"([^\"]+)\"");

    final String base;
    final CookieManager cookies = new CookieManager();
    final HttpClient client;
    String csrf;

    HttpSession(String base) {
        this.base = base;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        remember(r.body());
        return r;
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        Map<String, String> f = new LinkedHashMap<>(form);
        if (csrf != null) {
            f.putIfAbsent("csrf", csrf);
        }
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(f))).build(), HttpResponse.BodyHandlers.ofString());
        remember(r.body());
        return r;
    }

    /** Logs in through the form; {@code code} may be null. Returns the POST's response (303 on success). */
    HttpResponse<String> login(String user, String password, String code) throws Exception {
        HttpResponse<String> form = get("/login");
        Matcher m = LOGIN_TOKEN.matcher(form.body());
        if (!m.find()) {
            throw new AssertionError("no login token on the login page");
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("login_token", m.group(1));
        f.put("username", user);
        f.put("password", password);
        if (code != null) {
            f.put("code", code);
        }
        HttpResponse<String> r = post("/login", f);
        if (r.statusCode() == 303) {
            get("/my"); // picks up the session's CSRF token
        }
        return r;
    }

    HttpResponse<String> api(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (method.equals("POST")) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        } else {
            b.GET();
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void remember(String body) {
        Matcher m = CSRF.matcher(body);
        if (m.find()) {
            csrf = m.group(1);
        }
    }

    static String encode(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }
}
