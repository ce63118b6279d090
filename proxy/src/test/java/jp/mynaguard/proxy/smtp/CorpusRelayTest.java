package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every {@code eml} case of the shared corpus through the gateway, with a policy that stops every
 * My Number: each is refused, held or relayed exactly as its labels say; relayed messages arrive
 * byte-identical apart from the added Received: header; and no labelled number (nor its last
 * eight digits) appears in any reply, notice or log line.
 */
class CorpusRelayTest {
    static Path corpus() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            Path c = p.resolve("../shared/corpus");
            if (Files.isRegularFile(c.resolve("labels.json"))) {
                return c.normalize();
            }
            c = p.resolve("shared/corpus");
            if (Files.isRegularFile(c.resolve("labels.json"))) {
                return c.normalize();
            }
            p = p.getParent();
        }
        return null;
    }

    @Test
    void everyMailCaseIsStoppedOrRelayedAsLabelled() throws Exception {
        Path corpus = corpus();
        Assumptions.assumeTrue(corpus != null, "shared corpus not found");
        JsonNode labels = new ObjectMapper().readTree(corpus.resolve("labels.json").toFile());
        PrintStream oldErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> replies = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (TestGateway gw = new TestGateway(b -> { }, new RecordingUpstream(), TestGateway.resource("corpus-policy.yaml"));
             RawSmtpClient client = new RawSmtpClient(gw.port())) {
            int cases = 0;
            for (JsonNode label : labels) {
                if (!"eml".equals(label.get("kind").asText())) {
                    continue;
                }
                cases++;
                label.get("my_numbers").forEach(n -> numbers.add(n.asText()));
                byte[] message = Files.readAllBytes(corpus.resolve(label.get("file").asText()));
                int before = gw.upstream.messages().size();
                String reply = client.send("tanaka@example.co.jp", List.of("someone@partner.example.test"), message);
                replies.add(reply);
                boolean unscannable = label.path("unscannable").asBoolean(false);
                boolean hasNumbers = label.get("my_numbers").size() > 0;
                String expected = unscannable ? "250 2.0.0 Held for review" : hasNumbers ? "550 5.7.1 Message refused" : "250 2.0.0 Ok";
                if (!reply.startsWith(expected)) {
                    mismatches.add(label.get("file").asText() + ": expected " + expected + ", got " + reply);
                    continue;
                }
                if (!unscannable && !hasNumbers) {
                    byte[] delivered = gw.upstream.messages().get(before).content();
                    assertArrayEquals(message, withoutReceived(delivered), label.get("file").asText());
                }
            }
            assertEquals(63, cases);
        } finally {
            System.setErr(oldErr);
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        String logText = log.toString(StandardCharsets.UTF_8);
        assertTrue(logText.contains("block by rule my-number-block"), "the decisions were logged (and captured)");
        for (String n : numbers) {
            String tail = n.substring(4);
            for (String r : replies) {
                assertFalse(r.contains(tail), "a reply holds digits of a number");
            }
            assertFalse(logText.contains(tail), "the log holds digits of a number");
        }
    }

    /** The message without the Received: field we put first. */
    static byte[] withoutReceived(byte[] delivered) {
        String s = new String(delivered, StandardCharsets.ISO_8859_1);
        assertTrue(s.startsWith("Received: from "), "starts with our Received:");
        int end = 0;
        do {
            end = s.indexOf("\r\n", end) + 2;
        } while (s.charAt(end) == '\t' || s.charAt(end) == ' ');
        return Arrays.copyOfRange(delivered, end, delivered.length);
    }
}
