package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.PolicyEngine;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.policy.scan.ScanReport;

import org.junit.jupiter.api.Test;

/** What the policy's side effects do to the outgoing copy, and what the notices say (and never say). */
class DecisionEffectsTest {
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4}");
    private static final String NUMBER = "0858-1525-1054";

    private static final PolicySnapshot POLICY = PolicySnapshot.of(
            PolicyLoader.withSystemClock().load(TestGateway.policyFile()).policy().orElseThrow());

    private static byte[] message(String to, String subject, String body) {
        return ("Received: from x ([127.0.0.1])\r\n\tby mx.test (Mynaguard)\r\n\twith ESMTP id AAAAAAAA;\r\n\tFri, 27 Nov 2026 10:00:00 +0900\r\n"
                + "From: tanaka@example.co.jp\r\nTo: " + to + "\r\nCc: boss@example.co.jp,\r\n other@review.example.test\r\n"
                + "Subject: " + subject + "\r\nX-Mynaguard-Review: forged\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static Decision decide(byte[] msg, List<String> recipients) {
        ScanReport scan = POLICY.scanner().scan(Format.MESSAGE, "", "m.eml", InputSource.of(msg));
        return PolicyEngine.of(POLICY.policy(), Clock.systemUTC()).decide(
                Envelope.smtp().sender("tanaka@example.co.jp").recipients(recipients).build(), scan.findings(), scan.unscannable());
    }

    private static String text(SpooledMessage m) throws Exception {
        try (InputStream in = m.content().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void quarantineCopyHasBccConversionTagAndHeader() throws Exception {
        List<String> rcpts = List.of("a@review.example.test", "other@review.example.test", "boss@example.co.jp");
        byte[] msg = message("a@review.example.test", "=?UTF-8?B?5ZCN57C/?=", "My Number: " + NUMBER + "\r\n.dot\r\n");
        Decision d = decide(msg, rcpts);
        assertEquals(Action.QUARANTINE, d.action());
        assertTrue(d.convertToBcc());
        try (SpooledMessage out = new MessageRewriter(1024, null).apply(InputSource.of(msg), d)) {
            String s = text(out);
            assertTrue(s.startsWith("Received: from x ([127.0.0.1])\r\n\tby mx.test"), "untouched fields keep their bytes");
            assertTrue(s.contains("From: tanaka@example.co.jp\r\nTo: undisclosed-recipients:;\r\nSubject: "), s);
            assertFalse(s.contains("boss@example.co.jp"), "Cc removed, continuation line included");
            assertFalse(s.contains("forged"), "a client-set marker is replaced");
            assertTrue(s.contains("X-Mynaguard-Review: yes\r\n\r\nMy Number: " + NUMBER + "\r\n.dot\r\n"), s);
            MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
            assertEquals("[要確認] 名簿", parsed.getSubject());
        }
    }

    @Test
    void tagIsNotAddedTwiceAndNothingChangesWithoutSideEffects() throws Exception {
        byte[] msg = message("a@tagged.example.test", "=?UTF-8?B?W+ekvuWkll0g5aCx5ZGK?=", "report\r\n");
        Decision d = decide(msg, List.of("a@tagged.example.test"));
        try (SpooledMessage out = new MessageRewriter(1024, null).apply(InputSource.of(msg), d)) {
            assertTrue(text(out).contains("Subject: =?UTF-8?B?W+ekvuWkll0g5aCx5ZGK?=\r\n"), "already tagged: kept as it was");
            assertTrue(text(out).contains("X-Mynaguard-Checked: yes\r\n"));
        }
        byte[] plain = message("someone@partner.example.test", "hello", "report\r\n");
        assertNull(new MessageRewriter(1024, null).apply(InputSource.of(plain), decide(plain, List.of("someone@partner.example.test"))));
    }

    @Test
    void noticesAreBilingualMaskedAndSayWhatToDo() throws Exception {
        byte[] msg = message("someone@partner.example.test", "roster", "マイナンバー: " + NUMBER + "\r\n");
        ScanReport scan = POLICY.scanner().scan(Format.MESSAGE, "", "m.eml", InputSource.of(msg));
        for (Action a : new Action[] {Action.BLOCK, Action.QUARANTINE, Action.HOLD, Action.APPROVE}) {
            SenderNotice.Facts f = new SenderNotice.Facts("ABCD2345", a, "my-number-block", null, scan.findings(),
                    scan.unscannable(), "tanaka@example.co.jp", List.of("someone@partner.example.test", "1234567890123@x.test"),
                    Instant.parse("2026-11-27T01:00:00Z"), ZoneId.of("Asia/Tokyo"), Duration.ofMinutes(10),
                    List.of("sato@example.co.jp"));
            for (SenderNotice.Audience who : SenderNotice.Audience.values()) {
                byte[] mail = SenderNotice.build(f, who, "postmaster@mx.test", "tanaka@example.co.jp", "mx.test");
                MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail));
                String body = (String) m.getContent();
                String all = m.getSubject() + "\n" + body;
                assertFalse(DIGIT_RUN.matcher(all).find(), a + "/" + who + ": no number in a notice:\n" + all);
                assertFalse(all.contains("1054"), "not even the last digits");
                assertTrue(all.contains("ABCD2345") && all.contains("my-number-block") && all.contains("****-****-****"), all);
                assertTrue(body.contains("Mynaguard") && body.contains("個人番号"), "Japanese and English");
                assertEquals("auto-generated", m.getHeader("Auto-Submitted")[0]);
                if (who == SenderNotice.Audience.SENDER) {
                    assertTrue(body.contains("対処方法") && body.contains("What to do"), body);
                }
                if (a == Action.HOLD && who == SenderNotice.Audience.SENDER) {
                    assertTrue(body.contains("10分後") && body.contains("in 10 minutes"), body);
                }
            }
        }
    }
}
