package jp.mynaguard.proxy.smtp.upstream;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.UpstreamCapabilities;

/**
 * The extensions a smarthost announced in its EHLO reply (RFC 5321 §4.1.1.1): the first line
 * is its greeting name, every further line a keyword with optional parameters.
 *
 * @param keywords upper-case keyword → its parameters as given (may be "")
 */
record EhloCapabilities(Map<String, String> keywords) {
    /** What a HELO-only server supports: nothing. */
    static final EhloCapabilities NONE = new EhloCapabilities(Map.of());

    EhloCapabilities {
        keywords = Map.copyOf(keywords);
    }

    static EhloCapabilities parse(SmtpReply ehloReply) {
        Map<String, String> k = new HashMap<>();
        List<String> lines = ehloReply.lines();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int sp = line.indexOf(' ');
            String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            k.putIfAbsent(keyword, sp < 0 ? "" : line.substring(sp + 1).strip());
        }
        return new EhloCapabilities(k);
    }

    boolean has(String keyword) {
        return keywords.containsKey(keyword);
    }

    boolean pipelining() {
        return has("PIPELINING");
    }

    boolean startTls() {
        return has("STARTTLS");
    }

    /** Announced SASL mechanisms, upper-case. */
    Set<String> authMechanisms() {
        String p = keywords.get("AUTH");
        if (p == null || p.isBlank()) {
            return Set.of();
        }
        return Set.of(p.toUpperCase(Locale.ROOT).split("\\s+"));
    }

    /** SIZE limit, 0 when none was announced (or announced without a number). */
    long maxSize() {
        String p = keywords.get("SIZE");
        if (p == null || p.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(p.split("\\s+")[0]));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    UpstreamCapabilities toUpstreamCapabilities() {
        return new UpstreamCapabilities(maxSize(), has("SMTPUTF8"), has("8BITMIME"));
    }

    /**
     * Whether a MAIL parameter may be passed on: only when the extension that defines it was
     * announced, so we never send the smarthost a parameter it would refuse.
     */
    boolean allowsMailParameter(String key) {
        return switch (key) {
            case "SIZE" -> has("SIZE");
            case "BODY" -> has("8BITMIME") || has("BINARYMIME");
            case "SMTPUTF8" -> has("SMTPUTF8");
            case "RET", "ENVID" -> has("DSN");
            case "AUTH" -> has("AUTH");
            case "REQUIRETLS" -> has("REQUIRETLS");
            default -> false;
        };
    }
}
