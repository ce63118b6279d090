package jp.mynaguard.proxy.http;

import java.net.IDN;
import java.util.Locale;

/**
 * Where a request goes: the origin (host, port, TLS or not) and the origin-form target
 * ({@code /path?query}) sent to it. From an absolute-form target ({@code http://host:port/path})
 * on the proxy port, or from the tunnel's origin for origin-form requests read from an
 * intercepted CONNECT. Userinfo ({@code http://user@host/}) and fragments are refused: browsers
 * never send them, and a host hidden behind userinfo is a classic way to confuse a filter.
 *
 * @param origin     where to connect
 * @param path       origin-form target, starting with {@code /} (or {@code *} for OPTIONS)
 * @param hostHeader the Host field to send ({@code host} or {@code host:port}, IPv6 bracketed)
 */
record RequestTarget(Origin origin, String path, String hostHeader) {
    /** An absolute-form target on the proxy port; only {@code http://}. */
    static RequestTarget absolute(String target) {
        String t = target;
        int schemeEnd = t.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("not an absolute URL");
        }
        String scheme = t.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("only http:// URLs are proxied this way (HTTPS goes through CONNECT)");
        }
        String rest = t.substring(schemeEnd + 3);
        int pathStart = indexOfAny(rest, "/?#");
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String path = pathStart < 0 ? "/" : rest.substring(pathStart);
        if (path.indexOf('#') >= 0) {
            throw new IllegalArgumentException("fragment in the request target");
        }
        if (path.startsWith("?")) {
            path = "/" + path;
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("user information in the URL");
        }
        HostAndPort hp = HostAndPort.parse(authority, 80);
        return new RequestTarget(new Origin(hp.host, hp.port, false), path, hp.header(80));
    }

    /** An origin-form target read from an intercepted tunnel to {@code origin}. */
    static RequestTarget inTunnel(Origin origin, String target, String hostHeader) {
        if (!target.startsWith("/") && !target.equals("*")) {
            throw new IllegalArgumentException("expected an origin-form target (/path)");
        }
        String host = hostHeader != null ? hostHeader : new HostAndPort(origin.host(), origin.port()).header(443);
        return new RequestTarget(origin, target, host);
    }

    /** The path without the query, for the policy (e.g. {@code /upload}). */
    String pathOnly() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** A host (lower case, IDN as A-labels, IPv6 without brackets) and a port. */
    record HostAndPort(String host, int port) {
        static HostAndPort parse(String authority, int defaultPort) {
            String host;
            String port = null;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed [ in the host");
                }
                host = authority.substring(1, close);
                if (close + 1 < authority.length()) {
                    if (authority.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException("invalid authority");
                    }
                    port = authority.substring(close + 2);
                }
                if (!host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    throw new IllegalArgumentException("invalid IPv6 address");
                }
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                port = colon < 0 ? null : authority.substring(colon + 1);
                if (host.indexOf(':') >= 0) {
                    throw new IllegalArgumentException("IPv6 addresses must be in brackets");
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host");
            }
            int p = defaultPort;
            if (port != null) {
                if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("invalid port");
                }
                p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("port out of range");
                }
            }
            String h = host.toLowerCase(Locale.ROOT);
            if (h.indexOf(':') < 0) {
                try {
                    h = IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid host name", e);
                }
                if (h.endsWith(".")) {
                    h = h.substring(0, h.length() - 1);
                }
                if (h.isEmpty()) {
                    throw new IllegalArgumentException("empty host");
                }
            }
            return new HostAndPort(h, p);
        }

        String header(int defaultPort) {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port == defaultPort ? h : h + ":" + port;
        }
    }
}
