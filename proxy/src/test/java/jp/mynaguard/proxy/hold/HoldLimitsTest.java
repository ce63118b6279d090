package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jp.mynaguard.policy.extract.InputSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each fixed limit of {@link HoldLimits} holds where it applies. */
class HoldLimitsTest {
    @TempDir
    Path dir;

    @Test
    void listsAreBoundedWhateverIsAskedFor() {
        assertEquals(HoldLimits.DEFAULT_LIST, ApprovalWorkflow.clamp(0));
        assertEquals(HoldLimits.DEFAULT_LIST, ApprovalWorkflow.clamp(-3));
        assertEquals(5, ApprovalWorkflow.clamp(5));
        assertEquals(HoldLimits.MAX_LIST, ApprovalWorkflow.clamp(HoldLimits.MAX_LIST * 10));
    }

    @Test
    void theUpstreamErrorKeptPerItemIsBounded() throws Exception {
        try (WorkflowFixture f = WorkflowFixture.sqlite(dir, 0)) {
            String ref = f.approval();
            StoredItem s = f.entry(ref);
            f.store.apply(StateChange.of(s, HoldState.HELD, "test", "test", f.clock.instant())
                    .set(StateChange.Field.LAST_ERROR, "451 " + "x".repeat(5000)).build()).orElseThrow();
            assertEquals(HoldLimits.MAX_ERROR_CHARS, f.entry(ref).lastError().length());
        }
    }

    @Test
    void anOversizedTemplateIsIgnoredForTheBuiltInOne() throws Exception {
        Files.writeString(dir.resolve("sender-held.txt"), "Subject: huge\n\n" + "x".repeat(HoldLimits.MAX_TEMPLATE_BYTES),
                StandardCharsets.UTF_8);
        NoticeTemplates.Rendered r = new NoticeTemplates(dir).render(HoldNotifier.Template.SENDER_HELD, Map.of("ref", "R"));
        assertTrue(r.subject().contains("保留しました"), r.subject());
    }

    @Test
    void bounceFieldsAreBounded() throws Exception {
        HoldNotifier.Notice n = new HoldNotifier.Notice(HoldNotifier.Template.SENDER_BOUNCED, "ABCD2345",
                List.of("tanaka@example.co.jp"), Map.of());
        HoldNotifier.Bounce b = new HoldNotifier.Bounce(n, Instant.EPOCH, List.of(new HoldNotifier.FailedRecipient(
                "a@outside.test", "5.0.0", "550 " + "y".repeat(5000))), "Subject: s\r\n");
        String dsn = new String(DeliveryStatusNotice.build(b, new NoticeTemplates.Rendered("s", "b"), "p@x.test",
                "tanaka@example.co.jp", "mx.test", Instant.EPOCH, ZoneOffset.UTC), StandardCharsets.UTF_8);
        String line = dsn.lines().filter(l -> l.startsWith("Diagnostic-Code: ")).findFirst().orElseThrow();
        assertEquals("Diagnostic-Code: smtp; ".length() + HoldLimits.MAX_DIAGNOSTIC_CHARS, line.length());

        String headers = "Subject: big\r\n" + ("X-Filler: " + "z".repeat(990) + "\r\n").repeat(40) + "\r\nbody\r\n";
        String copied = ReleaseWorker.headers(InputSource.of(headers.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(copied.length() <= HoldLimits.MAX_BOUNCE_HEADER_BYTES + 2, String.valueOf(copied.length()));
        assertTrue(copied.startsWith("Subject: big\r\n"));
    }
}
