package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import jp.mynaguard.policy.rules.ApprovalSpec;
import jp.mynaguard.proxy.hold.HoldDetails;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldWorkflow;

import org.junit.jupiter.api.Test;

/**
 * What a real SMTP session records when it holds a message for approval (approvers, backups,
 * deadlines, masked subject, attachment names and sizes, findings with a masked context,
 * external recipients), and that an approval nobody may give is refused with 550, never held.
 */
class HoldDetailsAtHoldTest {
    private static final Pattern DIGITS = Pattern.compile("[0-9０-９]{4}");
    private static final String NUMBER = "0858-1525-1054";

    private static final String CSV = "氏名,個人番号\r\n田中," + NUMBER + "\r\n";

    private static byte[] mail(String from, String to, String subject) {
        String csv = CSV;
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nマイナンバー: " + NUMBER + " です。\r\n"
                + "--b1\r\nContent-Type: text/csv; charset=UTF-8\r\nContent-Disposition: attachment;"
                + " filename*=UTF-8''%E5%90%8D%E7%B0%BF.csv\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(csv.getBytes(StandardCharsets.UTF_8)) + "\r\n--b1--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static TestGateway gateway() throws Exception {
        return new TestGateway(b -> { }, new RecordingUpstream(), TestGateway.resource("approval-policy.yaml"));
    }

    @Test
    void approvalRecordsWhoDecidesByWhenAndWhatTheyAreShown() throws Exception {
        try (TestGateway gw = gateway(); RawSmtpClient c = new RawSmtpClient(gw.port())) {
            Instant before = Instant.now();
            String reply = c.send("tanaka@example.co.jp", List.of("partner@outside.test", "colleague@example.co.jp"),
                    mail("tanaka@example.co.jp", "partner@outside.test", "名簿 " + NUMBER));
            assertTrue(reply.startsWith("250 2.0.0 Held for review"), reply);
            String ref = reply.substring(reply.lastIndexOf(' ') + 1).trim();
            assertEquals(HoldKind.APPROVE, gw.holds.find(ref).orElseThrow().kind());
            HoldDetails d = gw.holds.details.get(ref);
            assertNotNull(d);
            assertEquals(List.of("yamada@example.co.jp"), d.approvers());
            assertEquals(List.of("suzuki@example.co.jp"), d.backupApprovers());
            assertEquals(List.of("partner@outside.test"), d.externalRecipients());
            assertTrue(Duration.between(before, d.expiresAt()).compareTo(Duration.ofDays(3).minusMinutes(1)) > 0);
            assertEquals(d.expiresAt().minus(Duration.ofDays(1)), d.remindAt());
            assertEquals(d.remindAt(), d.escalateAt(), "backups are asked when the reminder goes out");
            assertEquals(ApprovalSpec.ExpiryOutcome.REJECT, d.onExpiry());
            assertTrue(d.senderNotified(), "the rule notifies the sender itself");
            assertTrue(d.subject().startsWith("名簿 "), d.subject());
            assertEquals(List.of(new HoldWorkflow.Attachment("名簿.csv", CSV.getBytes(StandardCharsets.UTF_8).length)), d.attachments());
            assertFalse(d.findings().isEmpty());
            for (HoldWorkflow.Finding f : d.findings()) {
                assertEquals("MY_NUMBER", f.type());
                assertEquals("****-****-****", f.masked());
                String all = f.type() + f.level() + f.location() + f.masked() + f.context();
                assertFalse(DIGITS.matcher(all).find(), "no digits in a finding: " + all);
            }
            assertTrue(d.findings().stream().anyMatch(f -> f.context().equals("マイナンバー: ****-****-****")),
                    d.findings().toString());
            // One finding per distinct number, located where it was first seen: the subject.
            assertEquals("subject", d.findings().get(0).location());
            assertFalse(DIGITS.matcher(d.subject()).find(), "no digits of the number in the subject: " + d.subject());
            assertTrue(gw.refusedApprovals.isEmpty());
        }
    }

    @Test
    void senderWhoIsTheOnlyApproverIsRefusedAndTheAdminsAreTold() throws Exception {
        try (TestGateway gw = gateway(); RawSmtpClient c = new RawSmtpClient(gw.port())) {
            String reply = c.send("sato@example.co.jp", List.of("partner@outside.test"),
                    mail("sato@example.co.jp", "partner@outside.test", "roster"));
            assertTrue(reply.startsWith("550 5.7.1"), reply);
            String ref = reply.substring(reply.lastIndexOf(' ') + 1).trim();
            assertTrue(gw.holds.items.isEmpty(), "never held, never delivered");
            assertEquals(List.of(ref), gw.refusedApprovals);
            assertTrue(gw.upstream.messages().stream().noneMatch(m -> m.recipients().contains("partner@outside.test")));
        }
    }

    @Test
    void approversWhoAreAllRecipientsCannotApproveSoItIsRefused() throws Exception {
        try (TestGateway gw = gateway(); RawSmtpClient c = new RawSmtpClient(gw.port())) {
            String reply = c.send("tanaka@example.co.jp", List.of("Yamada@Example.co.jp", "suzuki@example.co.jp"),
                    mail("tanaka@example.co.jp", "yamada@example.co.jp", "roster"));
            assertTrue(reply.startsWith("550 5.7.1"), reply);
            assertTrue(gw.holds.items.isEmpty());
            assertEquals(1, gw.refusedApprovals.size());
        }
    }
}
