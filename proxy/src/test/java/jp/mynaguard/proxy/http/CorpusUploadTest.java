package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/**
 * Every {@code http} case of the shared corpus, byte for byte as in the file (multipart, url-encoded,
 * JSON, gzip JSON, chunked, raw PUT) but with an absolute-form target, through the proxy to
 * MockServer, with a policy that stops every My Number: each is blocked or forwarded exactly as its
 * labels say, forwarded bodies reach the origin byte-identical (transfer coding removed), and no
 * digit of a number appears in a page, the audit trail or the log.
 */
class CorpusUploadTest {
    @Test
    void everyUploadCaseIsBlockedOrForwardedAsLabelled() throws Exception {
        List<JsonNode> labels = CorpusCases.httpLabels();
        assertEquals(9, labels.size(), "the corpus README lists 9 http cases");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> mismatches = new ArrayList<>();
        StringBuilder pages = new StringBuilder();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (ProxyHarness h = new ProxyHarness("corpus-policy.yaml", b -> { })) {
            for (JsonNode label : labels) {
                String name = label.get("file").asText().substring("cases/".length());
                byte[] raw = CorpusCases.raw(name);
                byte[] absolute = absoluteForm(raw, "http://127.0.0.1:" + h.origin.getPort());
                boolean numbers = label.get("my_numbers").size() > 0;
                boolean unscannable = label.path("unscannable").asBoolean(false);
                int before = h.originBodies().size();
                RawHttp.Response r;
                try (RawHttp c = new RawHttp(h.port())) {
                    r = c.send(absolute).read();
                }
                pages.append(r.head()).append(r.text());
                if (numbers || unscannable) {
                    String rule = unscannable ? "unscannable-quarantine" : "my-number-block";
                    if (r.status() != 403 || !r.text().contains(rule)) {
                        mismatches.add(name + ": expected 403 by " + rule + ", got " + r.status());
                    } else if (h.originBodies().size() != before) {
                        mismatches.add(name + ": blocked but the origin received it");
                    }
                } else {
                    if (r.status() != 200 || !r.text().equals("origin ok")) {
                        mismatches.add(name + ": expected 200 from the origin, got " + r.status() + " " + r.text());
                        continue;
                    }
                    List<byte[]> bodies = h.originBodies();
                    assertEquals(before + 1, bodies.size(), name);
                    assertArrayEquals(CorpusCases.body(name), bodies.get(bodies.size() - 1), name + ": body changed");
                }
            }
            CorpusCases.assertNoNumberDigits(h.audit.toString());
        } finally {
            System.setErr(oldErr);
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        String logText = log.toString(StandardCharsets.UTF_8);
        assertTrue(logText.contains("block by rule my-number-block"), "decisions were logged (and captured)");
        CorpusCases.assertNoNumberDigits(logText);
        CorpusCases.assertNoNumberDigits(pages.toString());
    }

    /** The request with its origin-form target made absolute ({@code POST /x} -> {@code POST http://o/x}); nothing else changes. */
    static byte[] absoluteForm(byte[] raw, String origin) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int sp = s.indexOf(' ');
        byte[] prefix = (s.substring(0, sp + 1) + origin).getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length - (sp + 1));
        System.arraycopy(raw, sp + 1, out, prefix.length, raw.length - (sp + 1));
        return out;
    }
}
