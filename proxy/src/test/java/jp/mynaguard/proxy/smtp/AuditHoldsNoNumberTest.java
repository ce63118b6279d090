package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jp.mynaguard.proxy.audit.AuditLog;
import jp.mynaguard.proxy.audit.AuditSettings;
import jp.mynaguard.proxy.audit.IncidentAlerts;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mail of the corpus through the SMTP server with the audit trail and incident alerts on:
 * no labelled number appears in the audit files, the head or the alert mails, in any width or
 * separator, nor its last eight digits, nor its SHA-256.
 */
class AuditHoldsNoNumberTest {
    private static final String[] SEPARATORS = {"", "-", " ", ".", "\u2010", "\uFF0D", "\u2212", "\u30FC", "\u3000"};

    @TempDir
    Path dir;

    /** Every way a number may be written: half- and full-width digits, grouped by each separator; the tail; the hash. */
    static Set<String> forms(String number) throws Exception {
        Set<String> out = new LinkedHashSet<>();
        for (String digits : List.of(number, fullWidth(number))) {
            int first = digits.length() - 8;
            for (String sep : SEPARATORS) {
                out.add(digits.substring(0, first) + sep + digits.substring(first, first + 4) + sep + digits.substring(first + 4));
            }
            out.add(digits.substring(first));
        }
        out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(number.getBytes(StandardCharsets.US_ASCII))));
        return out;
    }

    private static String fullWidth(String digits) {
        StringBuilder sb = new StringBuilder();
        digits.chars().forEach(c -> sb.append((char) (c - '0' + '\uFF10')));
        return sb.toString();
    }

    @Test
    void noLabelledNumberInTheTrailOrTheAlerts() throws Exception {
        Path corpus = CorpusRelayTest.corpus();
        Assumptions.assumeTrue(corpus != null, "shared corpus not found");
        JsonNode labels = new ObjectMapper().readTree(corpus.resolve("labels.json").toFile());
        List<String> numbers = new ArrayList<>();
        RecordingUpstream upstream = new RecordingUpstream();
        Path audit = Files.createDirectories(dir.resolve("audit"));
        int mails = 0;
        try (AuditLog log = AuditLog.open(AuditSettings.DEFAULTS.withDir(audit).withCheckpoints(10, Duration.ofHours(1)),
                audit, Clock.systemUTC())) {
            IncidentAlerts alerts = new IncidentAlerts(log, AuditSettings.AlertSettings.DEFAULTS,
                    () -> List.of("security@example.co.jp"), upstream, "postmaster@mynaguard.test", "mynaguard.test",
                    ZoneId.of("Asia/Tokyo"));
            try (TestGateway gw = new TestGateway(b -> { }, upstream, TestGateway.resource("corpus-policy.yaml"), alerts);
                 RawSmtpClient client = new RawSmtpClient(gw.port())) {
                for (JsonNode label : labels) {
                    label.get("my_numbers").forEach(n -> numbers.add(n.asText()));
                    label.get("corporate_numbers").forEach(n -> numbers.add(n.asText()));
                    if (!"eml".equals(label.get("kind").asText())) {
                        continue;
                    }
                    byte[] message = Files.readAllBytes(corpus.resolve(label.get("file").asText()));
                    client.send("tanaka@example.co.jp", List.of("someone@partner.example.test", "sato@example.co.jp"),
                            message);
                    mails++;
                }
            }
            alerts.close();
            assertTrue(log.flush(30, TimeUnit.SECONDS));
        }
        StringBuilder everything = new StringBuilder();
        try (Stream<Path> files = Files.list(audit)) {
            for (Path f : files.toList()) {
                everything.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
            }
        }
        String trail = everything.toString();
        long decisions = trail.lines().filter(l -> l.contains("\"type\":\"decision\"")).count();
        assertEquals(mails, decisions, "one decision record per mail");
        assertTrue(trail.contains("\"incident\":true"), "some were incidents");
        // The alert mails (null sender); relayed mail is the senders' own content and may hold Corporate Numbers.
        // Decoded: the body is base64 or quoted-printable on the wire.
        for (RecordingUpstream.Delivery d : upstream.notices()) {
            jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                    jakarta.mail.Session.getInstance(new java.util.Properties()), new java.io.ByteArrayInputStream(d.content()));
            everything.append(m.getSubject()).append('\n').append(m.getContent()).append('\n');
        }
        assertTrue(upstream.notices().size() > 0, "alert mails were sent");
        String all = everything.toString();
        List<String> hits = new ArrayList<>();
        for (String n : numbers) {
            for (String form : forms(n)) {
                int at = all.indexOf(form);
                if (at >= 0) {
                    String around = all.substring(Math.max(0, at - 60), Math.min(all.length(), at + form.length() + 20))
                            .replace(form, "<NUMBER>");
                    hits.add("labelled number #" + numbers.indexOf(n) + " in: " + around);
                }
            }
        }
        assertTrue(hits.isEmpty(), hits.size() + " hit(s): " + hits.subList(0, Math.min(5, hits.size())));
    }
}
