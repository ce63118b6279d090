package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notice texts: one file per {@link HoldNotifier.Template}, {@code Subject: …} on the first
 * line, an empty line, then the body, Japanese first and English after. The built-in files ship
 * in the jar; a file of the same name in the configured directory replaces one (read for every
 * notice, so an edit applies at once). Placeholders are {@code {{name}}}; every value, and the
 * finished text, is masked so that no digit run of a number can reach a notice, whatever a
 * template says.
 */
final class NoticeTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(NoticeTemplates.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)\\}\\}");
    /** The placeholders there are (see NoticeValues and docs/ARCHITECTURE.md). */
    static final Set<String> NAMES = Set.of("ref", "url", "rule", "sender", "recipients_count", "external_count",
            "findings", "received", "expires", "release_after", "kind_ja", "kind_en", "approvers", "comment", "actor",
            "outcome_ja", "outcome_en", "failed_count");

    record Rendered(String subject, String body) {
    }

    private final Path directory;

    NoticeTemplates(Path directory) {
        this.directory = directory;
    }

    Rendered render(HoldNotifier.Template t, Map<String, String> values) {
        String[] parts = parse(t, load(t));
        String subject = substitute(parts[0], values, t).replaceAll("[\\r\\n]+", " ");
        String body = substitute(parts[1], values, t);
        return new Rendered(MetadataMask.mask(subject), MetadataMask.mask(body));
    }

    /** The admin's file if there is one and it is usable, else the built-in one. */
    private String load(HoldNotifier.Template t) {
        if (directory != null) {
            Path f = directory.resolve(t.fileName());
            if (Files.isRegularFile(f)) {
                try {
                    if (Files.size(f) > HoldLimits.MAX_TEMPLATE_BYTES) {
                        throw new IOException("larger than " + HoldLimits.MAX_TEMPLATE_BYTES + " bytes");
                    }
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    if (usable(text)) {
                        return text;
                    }
                    LOG.error("notice template {}: the first line must be 'Subject: ...' followed by an empty line;"
                            + " using the built-in one", f);
                } catch (IOException | RuntimeException e) {
                    LOG.error("notice template {} cannot be read ({}); using the built-in one", f, e.toString());
                }
            }
        }
        return builtIn(t);
    }

    static String builtIn(HoldNotifier.Template t) {
        try (InputStream in = NoticeTemplates.class.getResourceAsStream("templates/" + t.fileName())) {
            if (in == null) {
                throw new IllegalStateException("built-in notice template missing: " + t.fileName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("built-in notice template unreadable: " + t.fileName(), e);
        }
    }

    static boolean usable(String text) {
        String t = text.replace("\r\n", "\n");
        int nl = t.indexOf('\n');
        return t.startsWith("Subject:") && nl > 0 && t.startsWith("\n", nl + 1);
    }

    private static String[] parse(HoldNotifier.Template t, String text) {
        String s = text.replace("\r\n", "\n");
        if (!usable(s)) {
            s = builtIn(t).replace("\r\n", "\n");
        }
        int nl = s.indexOf('\n');
        return new String[] {s.substring("Subject:".length(), nl).strip(), s.substring(nl + 2)};
    }

    private static String substitute(String text, Map<String, String> values, HoldNotifier.Template t) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v;
            if (!NAMES.contains(name)) {
                LOG.warn("notice template {}: unknown placeholder {{{{{}}}}} left as it is", t.fileName(), name);
                v = m.group();
            } else {
                v = values.getOrDefault(name, "");
                v = v == null || v.isBlank() ? "-" : MetadataMask.mask(v);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
