package jp.mynaguard.proxy.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a route answers: status, type, body, cookies and extra headers. The Netty handler turns it
 * into the HTTP response; {@link SecurityHeaders} adds the headers every answer carries.
 */
final class ConsoleResponse {
    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";

    final int status;
    final String contentType;
    final byte[] body;
    final List<String> cookies = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();

    ConsoleResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    static ConsoleResponse html(int status, String page) {
        return new ConsoleResponse(status, HTML, page.getBytes(StandardCharsets.UTF_8));
    }

    static ConsoleResponse json(int status, byte[] json) {
        return new ConsoleResponse(status, JSON, json);
    }

    /** 303 See Other: after a POST, the browser GETs the result (no resubmission on reload). */
    static ConsoleResponse redirect(String location) {
        ConsoleResponse r = new ConsoleResponse(303, null, new byte[0]);
        r.headers.put("Location", location);
        return r;
    }

    ConsoleResponse cookie(String setCookie) {
        cookies.add(setCookie);
        return this;
    }

    ConsoleResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
