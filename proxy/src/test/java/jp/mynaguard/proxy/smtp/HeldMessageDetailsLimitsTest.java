package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.scan.ScanReport;
import jp.mynaguard.proxy.hold.HoldLimits;
import jp.mynaguard.proxy.hold.HoldWorkflow;

import org.junit.jupiter.api.Test;

/** The details recorded at hold time stay bounded, and say how much more there was. */
class HeldMessageDetailsLimitsTest {
    @Test
    void findingsBeyondTheLimitAreSummedUp() {
        List<Finding> found = new ArrayList<>();
        for (int i = 0; i < HoldLimits.MAX_FINDINGS + 50; i++) {
            // The synthetic number of the other SMTP tests; only its masked form may ever be recorded.
            found.add(new Finding(FindingType.MY_NUMBER, Level.HIGH, "attachment:名簿.csv/Sheet1!C" + (i + 2),
                    List.of("checksum", "header:個人番号"), "0858-1525-1054".replace("-", ""), 1));
        }
        MessageInspector.Inspection in = new MessageInspector.Inspection(null, new ScanReport(found, List.of()), null,
                "tanaka@example.co.jp");
        List<HoldWorkflow.Finding> recorded = HeldMessageDetails.findings(in);
        assertEquals(HoldLimits.MAX_FINDINGS, recorded.size());
        HoldWorkflow.Finding last = recorded.get(recorded.size() - 1);
        assertEquals("MORE", last.type());
        assertEquals("… 51 more", last.context());
        assertEquals("個人番号: ****-****-****", recorded.get(0).context());
        for (HoldWorkflow.Finding f : recorded) {
            assertFalse(f.toString().matches(".*[0-9]{12}.*"), f.toString());
        }
    }

    @Test
    void attachmentsBeyondTheLimitAreSummedUp() throws Exception {
        StringBuilder m = new StringBuilder("From: a@example.co.jp\r\nSubject: many\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        int n = HoldLimits.MAX_ATTACHMENTS + 10;
        for (int i = 0; i < n; i++) {
            m.append("--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=f").append(i)
                    .append(".txt\r\n\r\nx\r\n");
        }
        m.append("--b--\r\n");
        HeldMessageDetails.Parsed p = HeldMessageDetails.parse(InputSource.of(m.toString().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(HoldLimits.MAX_ATTACHMENTS, p.attachments().size());
        assertEquals(new HoldWorkflow.Attachment("f0.txt", 1), p.attachments().get(0));
        assertEquals("… 11 more", p.attachments().get(p.attachments().size() - 1).name());
        assertEquals("many", p.subject());
    }
}
