package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;

/** The shared corpus's {@code http} cases: raw requests, their bodies as the origin must receive them, their labels. */
final class CorpusCases {
    private static final Pattern TWELVE_DIGITS = Pattern.compile("\\d{12}");

    private CorpusCases() {
    }

    static Path corpus() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            for (String rel : new String[] {"../shared/corpus", "shared/corpus"}) {
                Path c = p.resolve(rel);
                if (Files.isRegularFile(c.resolve("labels.json"))) {
                    return c.normalize();
                }
            }
            p = p.getParent();
        }
        return null;
    }

    static Path requireCorpus() {
        Path c = corpus();
        Assumptions.assumeTrue(c != null, "shared corpus not found");
        return c;
    }

    /** The labels of every case of kind {@code http}. */
    static List<JsonNode> httpLabels() throws IOException {
        JsonNode all = new ObjectMapper().readTree(requireCorpus().resolve("labels.json").toFile());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : all) {
            if ("http".equals(l.get("kind").asText())) {
                out.add(l);
            }
        }
        return out;
    }

    /** Every labelled My Number of the whole corpus (to prove none leaks anywhere). */
    static List<String> allNumbers() throws IOException {
        JsonNode all = new ObjectMapper().readTree(requireCorpus().resolve("labels.json").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode l : all) {
            l.get("my_numbers").forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static byte[] raw(String name) throws IOException {
        return Files.readAllBytes(requireCorpus().resolve("cases").resolve(name));
    }

    static int headEnd(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        return s.indexOf("\r\n\r\n") + 4;
    }

    /** The body without its transfer coding: what an origin must receive. */
    static byte[] body(String name) throws IOException {
        byte[] raw = raw(name);
        int start = headEnd(raw);
        String head = new String(raw, 0, start, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        byte[] rest = Arrays.copyOfRange(raw, start, raw.length);
        return head.contains("transfer-encoding: chunked") ? dechunk(rest) : rest;
    }

    static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int lineEnd = indexOf(b, i);
            String line = new String(b, i, lineEnd - i, StandardCharsets.ISO_8859_1);
            int semi = line.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            i = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(b, i, size);
            i += size + 2;
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF");
    }

    /** No 12-digit run and no tail of any labelled number. */
    static void assertNoNumberDigits(String text) throws IOException {
        assertFalse(TWELVE_DIGITS.matcher(text).find(), "a 12-digit run in: " + text.length() + " chars");
        for (String n : allNumbers()) {
            assertFalse(text.contains(n.substring(4)), "digits of a labelled number leaked");
        }
    }
}
