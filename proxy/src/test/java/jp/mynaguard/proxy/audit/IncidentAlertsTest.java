package jp.mynaguard.proxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.policy.rules.Organization;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.smtp.upstream.OutboxUpstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts reach a local webhook (retried after a failure) and the outbox, within seconds, with no digit of a number. */
class IncidentAlertsTest {
    @TempDir
    Path dir;

    private static AuditEvent incident(String ref) {
        return AuditEvent.of(AuditEvent.DECISION).channel("smtp").ref(ref).user("tanaka")
                .field("sender", "tanaka@example.co.jp").field("groups", List.of("jinji"))
                .field("recipients", List.of("hr@partner.example")).field("externalRecipients", List.of("hr@partner.example"))
                .field("rule", "my-number-block").action("block").field("outcome", "refused").field("myNumbers", 50)
                .field("findings", Map.of("MY_NUMBER", Map.of("HIGH", 50))).field("incident", true)
                .field("incidentReasons", List.of("high-external", "bulk")).build();
    }

    private AuditSettings.AlertSettings alerts(WebhookReceiver hook, Path token) {
        return new AuditSettings.AlertSettings(true, List.of("ciso@example.co.jp"), hook.uri(), token,
                Duration.ofSeconds(5), 3);
    }

    @Test
    void anIncidentIsMailedAndPostedAndTheSendingIsRecorded() throws Exception {
        Path token = dir.resolve("webhook.token");
        Files.writeString(token, "s3cret-token\n");
        Path trail = Files.createDirectories(dir.resolve("audit"));
        OutboxUpstream outbox = new OutboxUpstream(dir.resolve("outbox"));
        try (WebhookReceiver hook = new WebhookReceiver(1);
             AuditLog log = AuditLog.open(AuditSettings.DEFAULTS.withDir(trail), trail, Clock.systemUTC())) {
            IncidentAlerts alerts = new IncidentAlerts(log, alerts(hook, token), () -> List.of("security@example.co.jp"),
                    outbox, "postmaster@gw.example.co.jp", "gw.example.co.jp", ZoneId.of("Asia/Tokyo"));
            alerts.record(AuditEvent.of(AuditEvent.DECISION).ref("QUIET234").field("incident", false).build());
            alerts.record(incident("ABC23XYZ"));

            WebhookReceiver.Post first = hook.next(30);
            assertNotNull(first, "the webhook was called");
            assertEquals(500, first.answered());
            WebhookReceiver.Post second = hook.next(30);
            assertNotNull(second, "and called again after the failure");
            assertEquals(204, second.answered());
            assertEquals("Bearer s3cret-token", second.authorization());
            assertTrue(second.contentType().startsWith("application/json"));
            Map<String, Object> payload = AuditJson.parse(second.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("mynaguard.incident", payload.get("kind"));
            assertEquals("ABC23XYZ", payload.get("ref"));
            assertEquals(50L, payload.get("myNumbers"));
            assertEquals(List.of("high-external", "bulk"), payload.get("incidentReasons"));
            assertTrue(String.valueOf(payload.get("summary")).contains("参照番号 ABC23XYZ"));
            assertNull(hook.next(1), "the quiet decision raised no alert");
            alerts.close();
            assertTrue(log.flush(10, TimeUnit.SECONDS));
        }
        List<Path> mails;
        try (var s = Files.list(dir.resolve("outbox"))) {
            mails = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        assertEquals(2, mails.size(), "security team and the extra address");
        String all = "";
        for (Path p : mails) {
            MimeMessage m;
            try (InputStream in = Files.newInputStream(p)) {
                m = new MimeMessage(Session.getInstance(new Properties()), in);
            }
            assertTrue(m.getSubject().startsWith("[Mynaguard] インシデント / Incident: block (Ref ABC23XYZ)"),
                    m.getSubject());
            String body = (String) m.getContent();
            assertTrue(body.indexOf("参照番号:       ABC23XYZ") < body.indexOf("Reference:   ABC23XYZ"), "Japanese first");
            assertTrue(body.contains("部署:           jinji"), body);
            assertTrue(body.contains("マイナンバー数: 50"), body);
            all += m.getAllRecipients()[0] + " ";
        }
        assertTrue(all.contains("security@example.co.jp") && all.contains("ciso@example.co.jp"), all);
        List<Map<String, Object>> records = AuditTestFiles.records(dir.resolve("audit"));
        Map<String, Object> alert = records.stream().filter(r -> "alert".equals(r.get("type"))).findFirst().orElseThrow();
        assertEquals("ABC23XYZ", alert.get("ref"));
        String sent = String.valueOf(alert.get("sent"));
        assertTrue(sent.contains("webhook: 204 after 2 attempt(s)"), sent);
        assertTrue(sent.contains("mail security@example.co.jp: sent"), sent);
    }

    @Test
    void aWebhookThatNeverAnswersWellIsGivenUpAfterTheAttempts() throws Exception {
        Path trail = Files.createDirectories(dir.resolve("audit"));
        try (WebhookReceiver hook = new WebhookReceiver(100);
             AuditLog log = AuditLog.open(AuditSettings.DEFAULTS.withDir(trail), trail, Clock.systemUTC())) {
            AuditSettings.AlertSettings s = new AuditSettings.AlertSettings(false, List.of(), hook.uri(), null,
                    Duration.ofSeconds(5), 2);
            IncidentAlerts alerts = new IncidentAlerts(log, s, List::of, null, "postmaster@gw", "gw", ZoneId.of("UTC"));
            alerts.record(incident("DEF45UVW"));
            assertNotNull(hook.next(30));
            assertNotNull(hook.next(30));
            assertNull(hook.next(3), "two attempts in all");
            alerts.close();
            assertTrue(log.flush(10, TimeUnit.SECONDS));
        }
        Map<String, Object> alert = AuditTestFiles.records(dir.resolve("audit")).stream()
                .filter(r -> "alert".equals(r.get("type"))).findFirst().orElseThrow();
        assertTrue(String.valueOf(alert.get("sent")).contains("webhook: failed after 2 attempt(s): HTTP 500"),
                alert.toString());
    }

    @Test
    void aReleaseOfHeldMyNumbersToOutsideIsAnIncident() {
        Organization org = Organization.builder().internalDomain("example.co.jp").build();
        HeldItem item = new HeldItem("GHJ67KLM", HoldKind.QUARANTINE, "RELEASED", "smtp", "tanaka@example.co.jp",
                List.of("sato@example.co.jp", "hr@partner.example"), "review-quarantine", "0".repeat(64),
                "MY_NUMBER HIGH x3 (attachment:list.csv); MY_NUMBER LOW x1 (body); CORPORATE_NUMBER HIGH x2 (body)",
                Instant.now(), null, 1000, "0".repeat(64));
        AuditEvent out = ReleaseRecord.of(AuditEvent.RELEASE, item, "officer", org).build();
        assertEquals(4L, ((Number) out.fields().get("myNumbers")).longValue());
        assertEquals(List.of("hr@partner.example"), out.fields().get("externalRecipients"));
        assertTrue(IncidentCriteria.isIncident(out));
        HeldItem inside = new HeldItem("GHJ67KLN", HoldKind.QUARANTINE, "RELEASED", "smtp", "tanaka@example.co.jp",
                List.of("sato@example.co.jp"), "review-quarantine", "0".repeat(64), "MY_NUMBER HIGH x3 (body)",
                Instant.now(), null, 1000, "0".repeat(64));
        assertFalse(IncidentCriteria.isIncident(ReleaseRecord.of(AuditEvent.RELEASE, inside, "officer", org).build()));
        assertFalse(IncidentCriteria.isIncident(ReleaseRecord.of(AuditEvent.BOUNCE, item, "officer", org).build()));
    }

    @Test
    void archivesAreRecognisedInLocations() {
        assertTrue(IncidentCriteria.isArchive("attachment:給与.zip"));
        assertTrue(IncidentCriteria.isArchive("attachment:a.tar.gz/list.csv"));
        assertTrue(IncidentCriteria.isArchive("attachment:A.ZIP!inner.xlsx"));
        assertFalse(IncidentCriteria.isArchive("attachment:zipcodes.csv"));
        assertFalse(IncidentCriteria.isArchive("body"));
    }
}
