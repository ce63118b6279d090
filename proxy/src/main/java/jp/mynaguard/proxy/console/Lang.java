package jp.mynaguard.proxy.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The console's languages: Japanese by default, English by choice ({@code ?lang=en}, kept in a
 * cookie). The texts are {@code messages_ja.properties} and {@code messages_en.properties}
 * (UTF-8) beside this class; both must have every key ({@code ConsoleMessagesTest} checks).
 */
enum Lang {
    JA("ja"), EN("en");

    static final String COOKIE = "mg_lang";

    final String code;
    private final Properties texts;

    Lang(String code) {
        this.code = code;
        this.texts = load("messages_" + code + ".properties");
    }

    /** The text for {@code key} with {@code {0}}, {@code {1}}... replaced (plain text: escape it when rendering). */
    String t(String key, Object... args) {
        String s = texts.getProperty(key);
        if (s == null) {
            throw new IllegalArgumentException("no console text " + key + " in " + code);
        }
        for (int i = 0; i < args.length; i++) {
            s = s.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return s;
    }

    Lang other() {
        return this == JA ? EN : JA;
    }

    java.util.Set<String> keys() {
        return texts.stringPropertyNames();
    }

    /** {@code ?lang=} first, then the cookie, else Japanese. */
    static Lang of(ConsoleRequest r) {
        Lang q = parse(r.param("lang"));
        if (q != null) {
            return q;
        }
        Lang c = parse(r.cookie(COOKIE));
        return c != null ? c : JA;
    }

    static Lang parse(String s) {
        if (s == null) {
            return null;
        }
        for (Lang l : values()) {
            if (l.code.equalsIgnoreCase(s)) {
                return l;
            }
        }
        return null;
    }

    private static Properties load(String name) {
        Properties p = new Properties();
        try (InputStream in = Lang.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
