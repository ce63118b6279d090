package jp.mynaguard.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.scan.ContentScanner;
import jp.mynaguard.policy.scan.ScanReport;

/**
 * Writes a ~200 MB message (a large text body and a large base64 CSV attachment) and scans it,
 * printing time and peak heap. Run with a small heap to show memory stays bounded:
 * {@code java -Xmx256m -cp bench/target/benchmarks.jar jp.mynaguard.bench.LargeMessageCheck [MB]}.
 */
public final class LargeMessageCheck {
    private LargeMessageCheck() {
    }

    public static void main(String[] args) throws IOException {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path eml = Files.createTempFile("mynaguard-large-", ".eml");
        try {
            write(eml, mb);
            long size = Files.size(eml);
            ContentScanner scanner = ContentScanner.withDefaults();
            long t0 = System.nanoTime();
            ScanReport r;
            try (InputSource src = InputSource.ofFile(eml)) {
                r = scanner.scan(Format.MESSAGE, "", eml.getFileName().toString(), src);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("message %d bytes, max heap %d MB, scanned in %d ms (%.0f MB/s), peak heap used %d MB, "
                            + "%d findings, unscannable %s%n",
                    size, Runtime.getRuntime().maxMemory() >> 20, ms, size / 1e6 / (ms / 1e3), peakHeap() >> 20,
                    r.findings().size(), r.unscannable());
        } finally {
            Files.deleteIfExists(eml);
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    static void write(Path out, int mb) throws IOException {
        long half = (long) mb * 1024 * 1024 / 2;
        try (OutputStream o = Files.newOutputStream(out)) {
            o.write(("From: sato@example.test\r\nTo: tax@example.test\r\nSubject: large\r\n"
                    + "Message-ID: <large@example.test>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"large-boundary\"\r\n\r\n"
                    + "--large-boundary\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            writeText(o, half);
            o.write(("\r\n--large-boundary\r\nContent-Type: text/csv; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=\"roster.csv\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try (OutputStream b64 = Base64.getMimeEncoder().wrap(new NonClosing(o))) {
                writeText(b64, half * 3 / 4);
            }
            o.write("\r\n--large-boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void writeText(OutputStream o, long bytes) throws IOException {
        long seed = 1;
        for (long done = 0; done < bytes; ) {
            byte[] block = MailLikeText.generate((int) Math.min(8 << 20, bytes - done), 1 << 20, seed++);
            o.write(new String(block, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
            done += block.length;
        }
    }

    /** Lets the base64 wrapper be closed (to flush its padding) without closing the file. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
