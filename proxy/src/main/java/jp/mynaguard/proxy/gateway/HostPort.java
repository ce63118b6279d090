package jp.mynaguard.proxy.gateway;

/** {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code HOST} (default port), as written in flags and gateway.yaml. */
record HostPort(String host, int port) {
    static HostPort parse(String spec, int defaultPort) {
        String s = spec.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in " + spec);
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected ':PORT' after ']' in " + spec);
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                host = s;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + spec);
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + spec, e);
            }
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range in " + spec);
        }
        return new HostPort(host, p);
    }

    static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
