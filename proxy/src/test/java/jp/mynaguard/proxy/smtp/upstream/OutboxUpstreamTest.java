package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.Relay;
import jp.mynaguard.proxy.smtp.RelayResult;
import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.UpstreamCapabilities;
import jp.mynaguard.proxy.smtp.UpstreamTransaction;

class OutboxUpstreamTest {
    @TempDir
    Path dir;

    private static List<Path> files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesTheMessageByteForByteWithItsEnvelope() throws Exception {
        Path outbox = dir.resolve("outbox");
        byte[] bytes = SmtpUpstreamTest.MESSAGE.getBytes(StandardCharsets.UTF_8);
        try (OutboxUpstream u = new OutboxUpstream(outbox)) {
            assertEquals(UpstreamCapabilities.PERMISSIVE, u.capabilities());
            RelayResult r = Relay.send(u, "sender@example.jp", List.of("a@example.com", "b@example.com"),
                    InputSource.of(bytes)).get(10, TimeUnit.SECONDS);
            assertEquals(250, r.finalReply().code());
            assertEquals(List.of("a@example.com", "b@example.com"), r.delivered());
        }
        List<Path> files = files(outbox);
        assertEquals(2, files.size(), files.toString());
        Path eml = files.stream().filter(f -> f.toString().endsWith(".eml")).findFirst().orElseThrow();
        assertArrayEquals(bytes, Files.readAllBytes(eml));
        String base = eml.getFileName().toString().replace(".eml", "");
        assertTrue(base.matches("\\d{8}T\\d{6}\\.\\d{3}Z-[A-Z2-9]{8}"), base);
        JsonNode env = new ObjectMapper().readTree(outbox.resolve(base + ".envelope.json").toFile());
        assertEquals("sender@example.jp", env.get("mailFrom").asText());
        assertEquals(2, env.get("recipients").size());
        assertEquals("b@example.com", env.get("recipients").get(1).asText());
    }

    @Test
    void concurrentMessagesGetUniqueNamesAndNoTemporaryFilesRemain() throws Exception {
        Path outbox = dir.resolve("outbox");
        int n = 40;
        try (OutboxUpstream u = new OutboxUpstream(outbox)) {
            List<CompletableFuture<RelayResult>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] msg = ("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
                all.add(Relay.send(u, "s@example.jp", List.of("r" + i + "@example.com"), InputSource.of(msg)));
            }
            for (CompletableFuture<RelayResult> f : all) {
                assertEquals(250, f.get(20, TimeUnit.SECONDS).finalReply().code());
            }
        }
        List<Path> files = files(outbox);
        assertEquals(2 * n, files.size());
        assertTrue(files.stream().noneMatch(f -> f.getFileName().toString().startsWith(".")), "temporary files left");
        Set<String> bodies = new HashSet<>();
        for (Path f : files) {
            if (f.toString().endsWith(".eml")) {
                String text = Files.readString(f, StandardCharsets.US_ASCII);
                String i = text.substring("Subject: ".length(), text.indexOf('\r'));
                assertEquals("Subject: " + i + "\r\n\r\nbody " + i + "\r\n", text);
                bodies.add(i);
            }
        }
        assertEquals(n, bodies.size());
    }

    @Test
    void noRecipientsNoFile() throws Exception {
        Path outbox = dir.resolve("outbox");
        try (OutboxUpstream u = new OutboxUpstream(outbox)) {
            UpstreamTransaction tx = u.begin("s@example.jp", Map.of()).get();
            SmtpReply r = tx.data(InputSource.of(new byte[] {'x'})).get();
            assertEquals(554, r.code());
            assertEquals(503, tx.rcpt("a@example.com").get().code(), "the transaction is over");
        }
        assertTrue(files(outbox).isEmpty());
    }

    @Test
    void writeFailureIs451() throws Exception {
        Path outbox = dir.resolve("outbox");
        try (OutboxUpstream u = new OutboxUpstream(outbox)) {
            // The directory vanishes and a file takes its place: nothing can be written there.
            Files.delete(outbox);
            Files.writeString(outbox, "not a directory");
            RelayResult r = Relay.send(u, "s@example.jp", List.of("a@example.com"),
                    InputSource.of("x\r\n".getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
            assertEquals(451, r.finalReply().code());
            assertEquals("4.3.0", r.finalReply().enhanced());
        }
    }
}
