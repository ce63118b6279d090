package jp.mynaguard.proxy.smtp.upstream;

import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the MAIL and RCPT arguments. Addresses come without angle brackets; one that contains
 * a bracket (or CR/LF, refused by {@link ClientCommand}) could close the path early and append
 * parameters of its own choosing, so it is refused rather than passed on.
 */
final class Addresses {
    private Addresses() {
    }

    static ClientCommand mail(String from, Map<String, String> parameters, EhloCapabilities caps) {
        StringBuilder arg = new StringBuilder("FROM:").append(path(from));
        // Sorted: the same request always gives the same line (and tests can expect it).
        for (Map.Entry<String, String> p : new TreeMap<>(parameters).entrySet()) {
            String key = p.getKey();
            if (!caps.allowsMailParameter(key)) {
                continue;
            }
            requireXtext(key, "parameter name");
            arg.append(' ').append(key);
            String value = p.getValue();
            if (value != null && !value.isEmpty()) {
                requireXtext(value, "parameter value");
                arg.append('=').append(value);
            }
        }
        return ClientCommand.of("MAIL", arg.toString());
    }

    static ClientCommand rcpt(String to) {
        if (to.isEmpty()) {
            throw new IllegalArgumentException("empty recipient");
        }
        return ClientCommand.of("RCPT", "TO:" + path(to));
    }

    private static String path(String address) {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '<' || c == '>' || c < ' ' || c == 0x7f) {
                throw new IllegalArgumentException("address with angle brackets or control characters");
            }
        }
        return '<' + address + '>';
    }

    /** RFC 5321 esmtp-keyword / esmtp-value: printable ASCII, no space, no '='. */
    private static void requireXtext(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '=' || c >= 0x7f) {
                throw new IllegalArgumentException("invalid MAIL " + what);
            }
        }
    }
}
