package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@link HeaderBlocks#exceeds}: where the header block ends against the limit, however the bytes arrive. */
class HeaderBlocksTest {
    private static boolean exceeds(String s, int max) throws IOException {
        return HeaderBlocks.exceeds(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), max);
    }

    @Test
    void blockEndingWithinTheLimitIsNotTooLong() throws IOException {
        String m = "A: 1\r\nB: 2\r\n\r\nbody";
        int end = m.indexOf("\r\n\r\n") + 4;
        assertFalse(exceeds(m, end - 1), "the LF of the empty line is byte number " + end);
        assertTrue(exceeds(m, end - 2));
        assertFalse(exceeds("A: 1\n\nbody", 5));
        assertTrue(exceeds("A: 1\n\nbody", 4));
    }

    @Test
    void headersRunningToTheEndAreNotTooLongUnlessLonger() throws IOException {
        assertFalse(exceeds("A: 1\r\nB: 2\r\n", 100));
        assertTrue(exceeds("A: 1\r\nB: 2\r\n", 5));
        assertFalse(exceeds("", 0));
    }

    /** The same answers as a byte-at-a-time scan, for random blocks and limits, read whole or a byte at a time. */
    @Test
    void agreesWithAByteByByteScan() throws IOException {
        Random random = new Random(11);
        String alphabet = "ab:\r\n\n ";
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            int max = random.nextInt(45);
            boolean expected = reference(b, max);
            assertEquals(expected, HeaderBlocks.exceeds(new ByteArrayInputStream(b), max), sb::toString);
            assertEquals(expected, HeaderBlocks.exceeds(new OneByteReads(b), max), sb::toString);
        }
    }

    private static boolean reference(byte[] b, int max) {
        int lineLength = 0;
        for (int n = 0; n <= max; n++) {
            if (n >= b.length) {
                return false;
            }
            if (b[n] == '\n') {
                if (lineLength == 0) {
                    return false;
                }
                lineLength = 0;
            } else if (b[n] != '\r') {
                lineLength++;
            }
        }
        return true;
    }

    private static final class OneByteReads extends InputStream {
        private final ByteArrayInputStream in;

        OneByteReads(byte[] b) {
            this.in = new ByteArrayInputStream(b);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1));
        }
    }
}
