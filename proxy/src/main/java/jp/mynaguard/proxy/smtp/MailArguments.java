package jp.mynaguard.proxy.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of {@code MAIL FROM:} or {@code RCPT TO:}: a path in angle brackets and
 * {@code KEY[=VALUE]} parameters (RFC 5321 §4.1.2, RFC 1869). Lenient where real clients are (a
 * space after the colon), strict where it matters (one path, no control characters, no spaces
 * outside a quoted local part, lengths of RFC 5321 §4.5.3.1).
 *
 * @param address    the mailbox without brackets or source route, {@code ""} for the null path
 * @param parameters upper-case keywords to values ({@code ""} when a keyword has no value)
 */
record MailArguments(String address, Map<String, String> parameters) {
    private static final int MAX_PATH = 256;
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;

    /** Thrown for a malformed argument; the message is safe to show (it holds no input). */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses {@code FROM:<a@b> SIZE=10} (for MAIL, {@code prefix} "FROM:") or {@code TO:<c@d>}.
     */
    static MailArguments parse(String argument, String prefix) throws SyntaxException {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new SyntaxException("Syntax: " + ("FROM:".equals(prefix) ? "MAIL FROM:<address>" : "RCPT TO:<address>"));
        }
        String rest = argument.substring(prefix.length()).stripLeading();
        if (!rest.startsWith("<")) {
            throw new SyntaxException("Address must be in angle brackets");
        }
        int close = closingBracket(rest);
        if (close < 0) {
            throw new SyntaxException("Missing closing angle bracket");
        }
        String path = rest.substring(1, close);
        if (path.length() > MAX_PATH) {
            throw new SyntaxException("Path too long");
        }
        String address = mailbox(stripSourceRoute(path));
        Map<String, String> params = parameters(rest.substring(close + 1));
        return new MailArguments(address, params);
    }

    /** Index of the {@code >} closing the path, skipping quoted local parts. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '>') {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5321 §4.1.2: source routes ({@code @a,@b:user@c}) must be accepted and ignored. */
    private static String stripSourceRoute(String path) {
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            return colon < 0 ? path : path.substring(colon + 1);
        }
        return path;
    }

    private static String mailbox(String s) throws SyntaxException {
        if (s.isEmpty()) {
            return "";
        }
        int at = s.lastIndexOf('@');
        String local = at < 0 ? s : s.substring(0, at);
        String domain = at < 0 ? "" : s.substring(at + 1);
        if (local.isEmpty() || local.length() > MAX_LOCAL_PART || domain.length() > MAX_DOMAIN) {
            throw new SyntaxException("Bad address syntax");
        }
        if (at < 0 && !"postmaster".equalsIgnoreCase(local)) {
            throw new SyntaxException("Address must have a domain");
        }
        boolean quoted = local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean inLocal = i < local.length();
            if (c < 0x21 && !(quoted && inLocal && c == ' ') || c == 0x7f || !quoted && inLocal && "<>()[],;:\\\"".indexOf(c) >= 0) {
                throw new SyntaxException("Bad address syntax");
            }
        }
        if (!domain.isEmpty() && !(domain.startsWith("[") && domain.endsWith("]"))) {
            for (String label : domain.split("\\.", -1)) {
                if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")
                        || label.chars().anyMatch(c -> c < 0x80 && !(Character.isLetterOrDigit(c) || c == '-'))) {
                    throw new SyntaxException("Bad domain syntax");
                }
            }
        }
        return s;
    }

    private static Map<String, String> parameters(String s) throws SyntaxException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : s.trim().split(" +")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (key.isEmpty() || !key.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-'))) {
                throw new SyntaxException("Bad parameter syntax");
            }
            if (params.put(key, value) != null) {
                throw new SyntaxException("Duplicate parameter");
            }
        }
        return params;
    }

    /** Whether the address needs SMTPUTF8 (non-ASCII characters). */
    boolean needsUtf8() {
        return address.chars().anyMatch(c -> c >= 0x80);
    }
}
