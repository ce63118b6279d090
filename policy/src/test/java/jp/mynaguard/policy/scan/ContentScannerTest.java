package jp.mynaguard.policy.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import jp.mynaguard.policy.detect.Detector;
import jp.mynaguard.policy.extract.ContentExtractor;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.FormatRegistry;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.extract.Limits;
import jp.mynaguard.policy.extract.UnscannableReason;

class ContentScannerTest {
    @Test
    void watchdogStopsAParserThatIgnoresTheDeadline() {
        // A parser stuck inside one library call never reaches a deadline check of ours.
        FormatRegistry stuck = FormatRegistry.builder().register(Format.TEXT, (ctx, location, source) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted");
            }
        }).build();
        Limits limits = Limits.builder().maxTime(Duration.ofMillis(100)).build();
        ContentScanner scanner = new ContentScanner(Detector.withDefaults(), new ContentExtractor(limits, stuck));

        long t0 = System.nanoTime();
        ScanReport r = scanner.scan(Format.TEXT, "a.txt", "a.txt", InputSource.of("x".getBytes(StandardCharsets.UTF_8)));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertEquals(1, r.unscannable().size(), r.unscannable().toString());
        assertEquals(UnscannableReason.TIMEOUT, r.unscannable().get(0).reason());
        assertTrue(ms < 30_000, "stopped by the watchdog, not by the parser finishing");
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt does not leak to the caller");
    }

    @Test
    void readableTextIsScannedAndFlaggedByLevel() {
        ScanReport r = ContentScanner.withDefaults().scan(Format.TEXT, "a.txt", "a.txt",
                InputSource.of("マイナンバー: 2720 3442 2478".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, r.findings().size());
        assertTrue(r.flagged(jp.mynaguard.policy.detect.Level.HIGH));
        assertTrue(r.unscannable().isEmpty());
    }

    @Test
    void limitsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Limits.builder().maxDepth(0).build());
        assertThrows(IllegalArgumentException.class, () -> Limits.builder().maxTime(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> Limits.builder().chunkChars(4096).chunkOverlapChars(2048).build());
        assertEquals(Limits.DEFAULT_MAX_DEPTH, Limits.defaults().maxDepth());
    }
}
