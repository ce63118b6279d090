package jp.mynaguard.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No digits ever: every {@code eml} case of the shared corpus goes through {@code mynaguard serve}
 * (a real process, DEBUG logging to a file, the real hold store and outbox, notices to the sender
 * and the security team), then every file the gateway wrote (logs, the SQLite store and its WAL,
 * the encrypted content, the outbox with the notices, everything else under the data directory),
 * its console output, the SMTP replies and a {@code /metrics} scrape are searched for every
 * labelled number in every width and separator ({@link NumberForms}). Zero hits.
 */
class NoDigitsEverTest {
    private static final Pattern METRICS = Pattern.compile("Metrics:\\s+(http://\\S+/metrics)");

    @TempDir
    Path dir;

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

    private static final String POLICY = String.join("\n",
            "# Every finding stops the message: blocked, or quarantined when it goes to review.example.test;",
            "# both notify the sender and the security team, so the notices are searched too.",
            "version: 1",
            "name: no digits ever",
            "organization:",
            "  internal_domains: [example.co.jp]",
            "  security_team: [security@example.co.jp]",
            "detector:",
            "  min_level: LOW",
            "rules:",
            "  - name: unscannable-quarantine",
            "    when: {unscannable: true}",
            "    action: quarantine",
            "    notify: [sender, security]",
            "  - name: review-quarantine",
            "    when:",
            "      recipient_domain: [review.example.test]",
            "      findings: {min_level: LOW, type: [my_number, my_number_truncated, corporate_number, invoice_reg_no]}",
            "    action: quarantine",
            "    notify: [sender, security]",
            "  - name: any-finding-block",
            "    when:",
            "      findings: {min_level: LOW, type: [my_number, my_number_truncated, corporate_number, invoice_reg_no]}",
            "    action: block",
            "    notify: [sender, security]",
            "default:",
            "  action: allow",
            "");

    @Test
    void theScannerFindsEveryWrittenForm() {
        // Twelve digits made up here (no check digit, not a number of anyone): the search does not check digits.
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            digits.append((i * 7 + 3) % 10);
        }
        String n = digits.toString();
        NumberForms forms = new NumberForms(List.of(n));
        for (String sep : new String[] {"", " ", "-", "\u3000", "\uFF0D", "\u2212", "\u30FC"}) {
            assertEquals(Set.of(n), forms.foundIn("番号: " + NumberForms.fullWidth(n, sep) + " です"), "full-width, '" + sep + "'");
            String ascii = n.substring(0, 4) + sep + n.substring(4, 8) + sep + n.substring(8);
            assertEquals(Set.of(n), forms.foundIn("x" + ascii + "y"), "ASCII, '" + sep + "'");
        }
        assertEquals(Set.of(n), forms.foundIn("7" + n + "3"), "inside a longer run");
        assertEquals(Set.of(), forms.foundIn(n.substring(0, 6) + "::" + n.substring(6)), "two separators break a run");
        assertEquals(Set.of(), forms.foundIn(n.substring(1)), "eleven digits are not the number");
    }

    @Test
    void noLabelledNumberInAnyLogStoreOutboxReplyOrScrape() throws Exception {
        Path corpus = corpus();
        Assumptions.assumeTrue(corpus != null, "shared corpus not found");
        JsonNode labels = new ObjectMapper().readTree(corpus.resolve("labels.json").toFile());
        Set<String> numbers = new LinkedHashSet<>();
        List<Path> mails = new ArrayList<>();
        for (JsonNode label : labels) {
            if ("eml".equals(label.get("kind").asText())) {
                mails.add(corpus.resolve(label.get("file").asText()));
                label.get("my_numbers").forEach(x -> numbers.add(x.asText()));
            }
        }
        assertEquals(63, mails.size());
        assertTrue(numbers.size() > 500, "the corpus mail holds hundreds of numbers: " + numbers.size());
        NumberForms forms = new NumberForms(numbers);

        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        int smtpPort = freePort();
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, String.join("\n",
                "data: data", "policy: policy.yaml",
                "smtp:", "  listen: 127.0.0.1:" + smtpPort, "  hostname: mynaguard.test",
                "ops:", "  listen: 127.0.0.1:0",
                "logging:", "  level: debug", "  file: logs/gateway.log", ""));
        Path stdout = dir.resolve("serve.out");
        Path stderr = dir.resolve("serve.err");
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "jp.mynaguard.proxy.Main", "serve", "--config", config.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        List<String> replies = new ArrayList<>();
        String scrape;
        try {
            String metricsUrl = awaitStart(serve, stdout);
            try (SmtpSender smtp = new SmtpSender(smtpPort)) {
                int i = 0;
                for (Path mail : mails) {
                    String to = i++ % 2 == 0 ? "someone@partner.example.test" : "check@review.example.test";
                    replies.add(smtp.send("tanaka@example.co.jp", to, Files.readAllBytes(mail)));
                }
            }
            scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            serve.destroy(); // SIGTERM: the graceful stop flushes and closes everything
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
        Path data = dir.resolve("data");
        Path log = dir.resolve("logs/gateway.log");
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        // The run did what it should, so that finding nothing means something.
        assertTrue(logText.contains(" DEBUG "), "DEBUG lines were written");
        assertTrue(logText.contains("block by rule any-finding-block"), "decisions were logged");
        assertTrue(replies.stream().anyMatch(r -> r.startsWith("550 5.7.1")), "some were blocked: " + replies);
        assertTrue(replies.stream().filter(r -> r.startsWith("250 2.0.0 Held for review")).count() > 10,
                "many were quarantined into the store: " + replies);
        assertTrue(Files.size(data.resolve("hold/hold.db")) > 0);
        try (Stream<Path> notices = Files.list(data.resolve("outbox"))) {
            assertTrue(notices.anyMatch(p -> p.toString().endsWith(".eml")), "notices reached the outbox");
        }
        assertTrue(scrape.contains("mynaguard_decisions_total"), scrape);

        Map<String, Set<String>> hits = new LinkedHashMap<>();
        List<Path> searched = new ArrayList<>();
        for (Path root : List.of(data, dir.resolve("logs"), stdout, stderr)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    searched.add(f);
                    byte[] bytes = Files.readAllBytes(f);
                    // ISO-8859-1 keeps every byte (binary files: ASCII digits); UTF-8 reads full-width digits.
                    Set<String> found = new LinkedHashSet<>(forms.foundIn(new String(bytes, StandardCharsets.ISO_8859_1)));
                    found.addAll(forms.foundIn(new String(bytes, StandardCharsets.UTF_8)));
                    if (!found.isEmpty()) {
                        hits.put(dir.relativize(f).toString(), found);
                    }
                }
            }
        }
        Set<String> inReplies = forms.foundIn(String.join("\n", replies));
        if (!inReplies.isEmpty()) {
            hits.put("SMTP replies", inReplies);
        }
        Set<String> inScrape = forms.foundIn(scrape);
        if (!inScrape.isEmpty()) {
            hits.put("/metrics", inScrape);
        }
        assertTrue(searched.stream().anyMatch(p -> p.toString().endsWith("hold.db")), "the store was searched");
        assertTrue(searched.stream().anyMatch(p -> p.toString().endsWith(".bin")), "held content was searched");
        // Only how many, never which: the report of a failure must not itself print the numbers.
        Map<String, Integer> counts = new LinkedHashMap<>();
        hits.forEach((where, found) -> counts.put(where, found.size()));
        assertEquals(Map.of(), counts, "labelled numbers found (file: how many distinct numbers)");
    }

    private static String awaitStart(Process serve, Path stdout) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
            Matcher m = METRICS.matcher(out);
            if (out.contains("Stop with Ctrl+C.") && m.find()) {
                return m.group(1);
            }
            if (!serve.isAlive()) {
                throw new AssertionError("serve exited with " + serve.exitValue() + ": " + out);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve did not start within a minute");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Sends exact message bytes (dot-stuffed) and returns each final reply. */
    private static final class SmtpSender implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        SmtpSender(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(120_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            reply();
            command("EHLO client.test");
        }

        String send(String from, String to, byte[] message) throws IOException {
            String r = command("MAIL FROM:<" + from + ">");
            if (!r.startsWith("250")) {
                return r;
            }
            r = command("RCPT TO:<" + to + ">");
            if (!r.startsWith("250")) {
                command("RSET");
                return r;
            }
            r = command("DATA");
            if (!r.startsWith("354")) {
                return r;
            }
            ByteArrayOutputStream stuffed = new ByteArrayOutputStream(message.length + 64);
            boolean lineStart = true;
            for (byte b : message) {
                if (lineStart && b == '.') {
                    stuffed.write('.');
                }
                stuffed.write(b);
                lineStart = b == '\n';
            }
            if (!lineStart) {
                stuffed.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            stuffed.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(stuffed.toByteArray());
            out.flush();
            return reply();
        }

        private String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply();
        }

        private String reply() throws IOException {
            StringBuilder all = new StringBuilder();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    all.append(line).append('\n');
                    if (line.length() > 3 && line.charAt(3) == ' ') {
                        return all.toString().strip();
                    }
                    line.setLength(0);
                } else if (c != '\r') {
                    line.append((char) c);
                }
            }
            throw new IOException("connection closed after: " + all);
        }

        @Override
        public void close() throws IOException {
            try {
                command("QUIT");
            } finally {
                socket.close();
            }
        }
    }
}
