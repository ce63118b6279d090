package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.scan.ContentScanner;
import jp.mynaguard.policy.scan.ScanReport;
import org.junit.jupiter.api.Test;

/**
 * {@link InputSource#ofBuffers}: the HTTP proxy lends its receive blocks, read in place. Reads,
 * skips and slices cross block boundaries; a small slice becomes an array, a large one a window
 * on the same blocks, and a parser that needs a file gets a copy deleted with the source.
 */
class InputSourceBuffersTest {
    private static final String N1 = Digits.myNumber("31415926535");

    /** {@code all} cut into direct and heap blocks of uneven sizes, with an empty one among them. */
    private static List<ByteBuffer> blocks(byte[] all) {
        List<ByteBuffer> out = new ArrayList<>();
        int[] sizes = {1, 8191, 0, 65_536, 300_001};
        int at = 0;
        for (int i = 0; at < all.length; i++) {
            int n = Math.min(sizes[i % sizes.length], all.length - at);
            ByteBuffer b = i % 2 == 0 ? ByteBuffer.allocateDirect(n + 3) : ByteBuffer.allocate(n + 3);
            b.put(all, at, n).flip();
            out.add(b);
            at += n;
        }
        return out;
    }

    private static byte[] text(int n) {
        byte[] all = new byte[n];
        for (int i = 0; i < n; i++) {
            all[i] = (byte) (i % 97 == 96 ? '\n' : 'a' + i % 26);
        }
        return all;
    }

    @Test
    void lentBuffersReadInPlaceAcrossTheirBoundaries() throws IOException {
        byte[] all = text(2_500_000);
        try (InputSource source = InputSource.ofBuffers(blocks(all))) {
            assertEquals(all.length, source.size());
            assertFalse(source.inMemory());
            try (InputStream in = source.openStream()) {
                assertArrayEquals(all, in.readAllBytes());
            }
            try (InputStream in = source.openStream()) {
                assertEquals(70_000, in.skip(70_000));
                assertEquals(all[70_000] & 0xff, in.read());
                assertArrayEquals(Arrays.copyOfRange(all, 70_001, 70_101), in.readNBytes(100));
            }
            assertArrayEquals(Arrays.copyOf(all, 10), source.head(10));

            InputSource small = source.slice(8_000, 100_000);
            assertTrue(small.inMemory(), "a slice below the spool threshold is an array");
            assertArrayEquals(Arrays.copyOfRange(all, 8_000, 108_000), small.bytesOrNull());

            InputSource large = source.slice(5, 2_000_000);
            assertFalse(large.inMemory());
            assertEquals(2_000_000, large.size());
            byte[] expected = Arrays.copyOfRange(all, 5, 2_000_005);
            try (InputStream in = large.openStream()) {
                assertArrayEquals(expected, in.readAllBytes());
            }
            Path copy = large.file();
            assertArrayEquals(expected, Files.readAllBytes(copy));
            try (InputStream in = large.openShared()) {
                assertArrayEquals(expected, in.readAllBytes());
            }
            large.close();
            assertFalse(Files.exists(copy), "the copy goes with the slice");
            assertEquals(0, source.slice(all.length + 1, 5).size());
        }
    }

    @Test
    void aRequestHeldInBuffersIsScannedLikeASpooledOne() throws IOException {
        byte[] filler = text(1_500_000);
        String head = "POST /upload/roster.txt HTTP/1.1\r\nHost: drive.example.com\r\nContent-Type: text/plain\r\n\r\n";
        byte[] number = ("\n個人番号 " + N1 + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[head.length() + filler.length + number.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, request, 0, head.length());
        System.arraycopy(filler, 0, request, head.length(), filler.length);
        System.arraycopy(number, 0, request, head.length() + filler.length, number.length);
        try (InputSource source = InputSource.ofBuffers(blocks(request))) {
            ScanReport report = ContentScanner.withDefaults().scan(Format.HTTP_REQUEST, "", "request.http", source);
            assertEquals(1, report.findings().size(), () -> report.findings().toString());
            assertEquals(FindingType.MY_NUMBER, report.findings().get(0).type());
            assertTrue(report.unscannable().isEmpty(), () -> report.unscannable().toString());
        }
    }
}
