package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.proxy.smtp.Upstream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notices and bounces as mail, through the real upstream client to a real SMTP server, parsed back. */
class MailNotifierTest {
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4}");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private SmtpSink sink;
    private Upstream upstream;

    @BeforeEach
    void open() throws Exception {
        sink = new SmtpSink();
        upstream = WorkflowFixture.upstream(sink.port());
    }

    @AfterEach
    void close() throws Exception {
        upstream.close();
        sink.close();
    }

    private MailNotifier notifier(Path templates) {
        return new MailNotifier(upstream, WorkflowFixture.settings().templateDirectory(templates).build(), CLOCK);
    }

    private static Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ref", "ABCD2345");
        v.put("url", "https://console.example.co.jp:8025/items/ABCD2345");
        v.put("rule", "external-high-approve");
        v.put("sender", "1234-5678-9012@example.co.jp");
        v.put("recipients_count", "2");
        v.put("external_count", "1");
        v.put("findings", "MY_NUMBER HIGH x1 (body)");
        v.put("expires", "2026-11-30 10:00 +09:00");
        return v;
    }

    private List<SmtpSink.Message> await(int n) throws InterruptedException {
        for (int i = 0; i < 600 && sink.snapshot().size() < n; i++) {
            Thread.sleep(50);
        }
        assertEquals(n, sink.snapshot().size());
        return sink.snapshot();
    }

    private static MimeMessage parse(SmtpSink.Message m) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m.data()));
    }

    @Test
    void approvalRequestIsBilingualWithALinkAndNoDigitsFromTheNullSender() throws Exception {
        notifier(null).notify(new HoldNotifier.Notice(HoldNotifier.Template.APPROVAL_REQUEST, "ABCD2345",
                List.of("yamada@example.co.jp", "sato@example.co.jp"), values()));
        List<SmtpSink.Message> got = await(2);
        SmtpSink.Message first = got.get(0);
        assertEquals("", first.mailFrom(), "from the null sender: a failing notice never bounces back");
        assertEquals(1, first.recipients().size());
        MimeMessage m = parse(first);
        assertTrue(m.getSubject().contains("承認依頼") && m.getSubject().contains("Approval requested"), m.getSubject());
        assertEquals("auto-generated", m.getHeader("Auto-Submitted")[0]);
        assertEquals("ABCD2345", m.getHeader("X-Mynaguard-Reference")[0]);
        String body = (String) m.getContent();
        assertTrue(body.contains("https://console.example.co.jp:8025/items/ABCD2345"), body);
        assertTrue(body.contains("あなたの承認を待っているメール") && body.contains("waiting for your approval"), body);
        assertTrue(body.contains("****-****-****@example.co.jp"), "a digit run in a value is masked: " + body);
        assertFalse(DIGIT_RUN.matcher(m.getSubject() + body).find(), body);
    }

    @Test
    void anAdminsTemplateReplacesTheBuiltInOneAndABrokenOneFallsBack() throws Exception {
        Path t = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(t.resolve("approval-request.txt"),
                "Subject: 承認してください {{ref}}\n\n{{url}} を開いてください。{{nosuch}} 番号 1234 5678 9012\n",
                StandardCharsets.UTF_8);
        Files.writeString(t.resolve("sender-rejected.txt"), "no subject line here\n", StandardCharsets.UTF_8);
        MailNotifier n = notifier(t);
        n.notify(new HoldNotifier.Notice(HoldNotifier.Template.APPROVAL_REQUEST, "ABCD2345",
                List.of("yamada@example.co.jp"), values()));
        MimeMessage custom = parse(await(1).get(0));
        assertEquals("承認してください ABCD2345", custom.getSubject());
        String body = (String) custom.getContent();
        assertTrue(body.startsWith("https://console.example.co.jp:8025/items/ABCD2345 を開いてください。{{nosuch}}"), body);
        assertTrue(body.contains("番号 **** **** ****"), "even a template cannot put a number in a notice: " + body);

        n.notify(new HoldNotifier.Notice(HoldNotifier.Template.SENDER_REJECTED, "ABCD2345",
                List.of("tanaka@example.co.jp"), values()));
        MimeMessage fallback = parse(await(2).get(1));
        assertTrue(fallback.getSubject().contains("却下されました"), fallback.getSubject());
    }

    @Test
    void bounceIsAnRfc3464ReportWithHeadersOnly() throws Exception {
        HoldNotifier.Notice n = new HoldNotifier.Notice(HoldNotifier.Template.SENDER_BOUNCED, "ABCD2345",
                List.of("tanaka@example.co.jp"), Map.of("ref", "ABCD2345", "rule", "r", "failed_count", "1"));
        String headers = "From: tanaka@example.co.jp\r\nTo: partner@outside.test\r\nSubject: 名簿 ****-****-****\r\n";
        notifier(null).bounce(new HoldNotifier.Bounce(n, Instant.parse("2026-11-26T23:00:00Z"),
                List.of(new HoldNotifier.FailedRecipient("partner@outside.test", "5.1.1", "550 5.1.1 no such user")),
                headers));
        SmtpSink.Message raw = await(1).get(0);
        assertEquals("", raw.mailFrom());
        assertFalse(raw.text().contains("1054"));
        MimeMessage m = parse(raw);
        assertTrue(m.getContentType().startsWith("multipart/report"), m.getContentType());
        assertTrue(m.getContentType().contains("report-type=delivery-status"), m.getContentType());
        assertEquals("auto-replied", m.getHeader("Auto-Submitted")[0]);
        assertTrue(m.getSubject().contains("配送できませんでした"), m.getSubject());
        Multipart mp = (Multipart) m.getContent();
        assertEquals(3, mp.getCount());
        Part human = mp.getBodyPart(0);
        assertTrue(human.isMimeType("text/plain"));
        String text = (String) human.getContent();
        assertTrue(text.contains("1 件の宛先") && text.contains("1 recipient(s)"), text);
        Part status = mp.getBodyPart(1);
        assertTrue(status.isMimeType("message/delivery-status"), status.getContentType());
        String report = new String(status.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(report.contains("Reporting-MTA: dns; mynaguard.test"), report);
        assertTrue(report.contains("Final-Recipient: rfc822; partner@outside.test"), report);
        assertTrue(report.contains("Action: failed") && report.contains("Status: 5.1.1"), report);
        assertTrue(report.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user"), report);
        Part original = mp.getBodyPart(2);
        assertTrue(original.isMimeType("text/rfc822-headers"), original.getContentType());
        String copied = new String(original.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(copied.contains("Subject: 名簿 ****-****-****"), copied);
    }
}
