package jp.mynaguard.proxy.http;

import jp.mynaguard.certs.HostName;

/**
 * The target of a CONNECT request in authority-form (RFC 9110 §9.3.6): {@code host:port} or
 * {@code [IPv6]:port}, nothing else: no scheme, userinfo, path, query or missing port.
 *
 * @param host normalised ({@link HostName#ascii()}): lower case, A-labels, canonical IP text
 */
public record ConnectTarget(String host, int port, boolean ipLiteral) {
    /** @throws IllegalArgumentException saying what is wrong with {@code authority} */
    public static ConnectTarget parse(String authority) {
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("empty CONNECT target");
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '/' || c == '@' || c == '?' || c == '#' || c == '\\') {
                throw new IllegalArgumentException("a CONNECT target is host:port only (no scheme, user, path or query)");
            }
        }
        int colon = authority.lastIndexOf(':');
        if (colon <= 0 || colon == authority.length() - 1) {
            throw new IllegalArgumentException("a CONNECT target needs host:port");
        }
        String host = authority.substring(0, colon);
        String portText = authority.substring(colon + 1);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("an IPv6 CONNECT target needs brackets: [address]:port");
        }
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the CONNECT port is not a number");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the CONNECT port is out of range");
        }
        HostName name = HostName.of(host);
        return new ConnectTarget(name.ascii(), port, name.isIpAddress());
    }

    /** {@code host:port} with brackets around IPv6, for messages and audit records. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
