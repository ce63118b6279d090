package jp.mynaguard.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import jp.mynaguard.policy.detect.Detector;
import jp.mynaguard.policy.detect.FindingCollector;
import jp.mynaguard.policy.detect.TextSegment;

/**
 * Detector throughput on 64 MiB of generated mail-like UTF-8 text, against the naive baseline in
 * the same run. Each operation scans the whole text once; MB/s = 64 MiB / time per op.
 * The text is cut into 256 Ki-char segments as the extractor cuts long parts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class DetectorBenchmark {
    static final int SIZE = 64 * 1024 * 1024;
    static final int SEGMENT_CHARS = 256 * 1024;

    byte[] utf8;
    String text;
    String[] segments;
    Detector detector;

    @Setup
    public void setUp() {
        setUp(MailLikeText.generate(SIZE, 100_000, 42));
    }

    /** The same benchmark over other UTF-8 text ({@link DetectorCpuTime} with a file). */
    void setUp(byte[] utf8Text) {
        utf8 = utf8Text;
        text = new String(utf8, StandardCharsets.UTF_8);
        int n = (text.length() + SEGMENT_CHARS - 1) / SEGMENT_CHARS;
        segments = new String[n];
        for (int i = 0; i < n; i++) {
            segments[i] = text.substring(i * SEGMENT_CHARS, Math.min(text.length(), (i + 1) * SEGMENT_CHARS));
        }
        detector = Detector.withDefaults();
        System.out.printf("%n[setup] %d UTF-8 bytes, %d chars, %d segments, %d findings%n",
                utf8.length, text.length(), n, detectSegments());
    }

    /** Detection over decoded text, as the extractor hands it over. */
    @Benchmark
    public int detectSegments() {
        FindingCollector c = new FindingCollector();
        for (String s : segments) {
            detector.scan(TextSegment.of("body", s), c);
        }
        return c.finish().size();
    }

    /** UTF-8 decode plus detection: the whole cost from bytes. */
    @Benchmark
    public int decodeAndDetect() {
        String t = new String(utf8, StandardCharsets.UTF_8);
        FindingCollector c = new FindingCollector();
        for (int i = 0; i < t.length(); i += SEGMENT_CHARS) {
            detector.scan(TextSegment.of("body", t.substring(i, Math.min(t.length(), i + SEGMENT_CHARS))), c);
        }
        return c.finish().size();
    }

    /** Decode + java.util.regex + checksum with a String per candidate. */
    @Benchmark
    public int naiveBaseline() {
        return NaiveBaseline.count(utf8);
    }
}
