package jp.mynaguard.policy.extract;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps MIME charset labels to the Java charsets that decode what Japanese mailers actually send.
 *
 * <p>Mail labelled {@code iso-2022-jp} or {@code shift_jis} is in practice written by Windows
 * (CP50220 / CP932) and contains NEC and IBM extensions such as ①, ㈱ and 髙, which the JDK's
 * {@code ISO-2022-JP} and {@code Shift_JIS} decoders turn into U+FFFD. Angus maps the labels to
 * those strict charsets, so text is decoded here instead, through this table.
 */
final class MimeCharsets {
    static final Charset ISO_2022_JP = Charset.forName("x-windows-iso2022jp");
    static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    static final Charset EUC_JP = Charset.forName("x-eucJP-Open");

    private static final Map<String, Charset> ALIASES = new HashMap<>();

    static {
        for (String s : new String[] {"iso-2022-jp", "csiso2022jp", "jis", "iso2022jp", "iso-2022-jp-1",
                "iso-2022-jp-3", "x-windows-iso2022jp", "cp50220", "cp50221", "cp50222"}) {
            ALIASES.put(s, ISO_2022_JP);
        }
        for (String s : new String[] {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis",
                "windows-31j", "cp932", "ms932", "x-ms-cp932", "shift_jis-2004"}) {
            ALIASES.put(s, WINDOWS_31J);
        }
        for (String s : new String[] {"euc-jp", "eucjp", "x-euc-jp", "x-eucjp", "cseucpkdfmtjapanese",
                "euc-jis-2004", "x-eucjp-open"}) {
            ALIASES.put(s, EUC_JP);
        }
        ALIASES.put("utf8", StandardCharsets.UTF_8);
        ALIASES.put("utf-8", StandardCharsets.UTF_8);
    }

    private MimeCharsets() {
    }

    /**
     * The charset for a MIME label, or {@code null} when the label is absent, unknown, or says
     * nothing ({@code us-ascii}: 8-bit text labelled US-ASCII is common and must be sniffed).
     */
    static Charset forLabel(String label) {
        if (label == null) {
            return null;
        }
        String l = label.trim();
        if (l.length() >= 2 && l.charAt(0) == '"' && l.charAt(l.length() - 1) == '"') {
            l = l.substring(1, l.length() - 1).trim();
        }
        // RFC 2231 language suffix: "utf-8*ja"
        int star = l.indexOf('*');
        if (star >= 0) {
            l = l.substring(0, star);
        }
        l = l.toLowerCase(Locale.ROOT);
        if (l.isEmpty() || l.equals("us-ascii") || l.equals("ascii") || l.equals("us_ascii")
                || l.equals("ansi_x3.4-1968") || l.equals("unknown-8bit") || l.equals("x-unknown")) {
            return null;
        }
        Charset cs = ALIASES.get(l);
        if (cs != null) {
            return cs;
        }
        try {
            return Charset.forName(l);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }
}
