package jp.mynaguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * CPU time per pass of {@link DetectorBenchmark#detectSegments()}: less sensitive than wall-clock
 * JMH to other processes on a shared machine. Run: java -cp bench/target/benchmarks.jar
 * jp.mynaguard.bench.DetectorCpuTime [passes [FILE]], where FILE is UTF-8 text to scan instead of
 * the generated mail-like text (e.g. the upload of {@code bench/http-upload.sh}).
 */
public final class DetectorCpuTime {
    private DetectorCpuTime() {
    }

    public static void main(String[] args) throws java.io.IOException {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        DetectorBenchmark b = new DetectorBenchmark();
        if (args.length > 1) {
            b.setUp(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[1])));
        } else {
            b.setUp();
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int warmup = 15;
        long[] cpu = new long[passes];
        long[] wall = new long[passes];
        int sink = 0;
        for (int p = -warmup; p < passes; p++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            sink += b.detectSegments();
            long c1 = mx.getCurrentThreadCpuTime();
            long w1 = System.nanoTime();
            if (p >= 0) {
                cpu[p] = c1 - c0;
                wall[p] = w1 - w0;
            }
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        double mib = b.utf8.length / 1e6;
        System.out.printf("cpu  median %.1f ms  min %.1f ms  (%.0f MB/s at median)%n",
                cpu[passes / 2] / 1e6, cpu[0] / 1e6, mib / (cpu[passes / 2] / 1e9));
        System.out.printf("wall median %.1f ms  min %.1f ms  [sink %d]%n", wall[passes / 2] / 1e6, wall[0] / 1e6, sink);
    }
}
