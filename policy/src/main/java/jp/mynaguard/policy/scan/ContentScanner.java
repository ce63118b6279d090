package jp.mynaguard.policy.scan;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jp.mynaguard.policy.detect.Detector;
import jp.mynaguard.policy.detect.FindingCollector;
import jp.mynaguard.policy.detect.TextSegment;
import jp.mynaguard.policy.extract.ContentExtractor;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.extract.Limits;
import jp.mynaguard.policy.extract.SegmentSink;
import jp.mynaguard.policy.extract.Unscannable;

/**
 * Extraction plus detection for one input at a time: the one call the SMTP relay, the HTTP proxy
 * and {@code mynaguard scan} make. Text segments stream from the extractor straight into the
 * detector, so memory does not grow with the input.
 *
 * <p>Extraction checks its deadline cooperatively; as a backstop a watchdog interrupts the
 * scanning thread shortly after the deadline, for parsers that spend long inside one call.
 * Thread-safe.
 */
public final class ContentScanner {
    /** How long after the extraction deadline the watchdog interrupts a parser that did not notice. */
    static final long WATCHDOG_GRACE_MILLIS = 2_000;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mynaguard-scan-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Detector detector;
    private final ContentExtractor extractor;

    public ContentScanner(Detector detector, ContentExtractor extractor) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
    }

    public static ContentScanner withDefaults() {
        return new ContentScanner(Detector.withDefaults(), new ContentExtractor(Limits.defaults()));
    }

    /** Scans a stream; see {@link ContentExtractor#extract(Format, String, String, InputSource, SegmentSink)}. */
    public ScanReport scan(Format format, String location, String name, InputStream in) throws IOException {
        try (InputSource source = InputSource.spool(in, extractor.limits().spoolThresholdBytes(), Long.MAX_VALUE)) {
            return scan(format, location, name, source);
        }
    }

    public ScanReport scan(Format format, String location, String name, InputSource source) {
        Collecting sink = new Collecting(detector);
        Thread self = Thread.currentThread();
        long fuse = extractor.limits().maxTime().toMillis() + WATCHDOG_GRACE_MILLIS;
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(self::interrupt, fuse, TimeUnit.MILLISECONDS);
        try {
            extractor.extract(format, location, name, source, sink);
        } finally {
            watchdog.cancel(false);
            // The watchdog may have fired just as extraction ended; do not leak the flag to the caller.
            Thread.interrupted();
        }
        return new ScanReport(sink.findings.finish(), sink.unscannable);
    }

    /** Feeds segments to the detector as they arrive. */
    private static final class Collecting implements SegmentSink {
        private final Detector detector;
        final FindingCollector findings = new FindingCollector();
        final List<Unscannable> unscannable = new ArrayList<>();

        Collecting(Detector detector) {
            this.detector = detector;
        }

        @Override
        public void segment(TextSegment segment) {
            detector.scan(segment, findings);
        }

        @Override
        public void unscannable(Unscannable u) {
            unscannable.add(u);
        }
    }
}
