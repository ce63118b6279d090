package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import jakarta.mail.internet.SharedInputStream;
import jakarta.mail.util.SharedByteArrayInputStream;

import org.junit.jupiter.api.Test;

/** {@link SharedBytes} behaves as the {@link SharedByteArrayInputStream} it stands in for, windows included. */
class SharedBytesTest {
    @Test
    void sameResultsAsSharedByteArrayInputStream() throws IOException {
        Random random = new Random(9);
        for (int n = 0; n < 500; n++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            InputStream expected = new SharedByteArrayInputStream(data);
            InputStream actual = new SharedBytes(data);
            for (int step = 0; step < 60; step++) {
                int op = random.nextInt(8);
                if (op == 7 && data.length > 0) {
                    // Continue on a window, as MimeMessage and MimeMultipart do.
                    long start = random.nextInt(data.length);
                    long end = random.nextBoolean() ? -1 : start + random.nextInt((int) (data.length - start) + 1);
                    expected = ((SharedInputStream) expected).newStream(start, end);
                    actual = ((SharedInputStream) actual).newStream(start, end);
                    assertTrue(actual instanceof SharedBytes);
                    continue;
                }
                int size = random.nextInt(40);
                assertEquals(describe(expected, op, size), describe(actual, op, size));
            }
        }
    }

    /** Applies one operation and describes its result and the stream's position. */
    private static String describe(InputStream in, int op, int size) throws IOException {
        String result = switch (op) {
            case 0, 1 -> String.valueOf(in.read());
            case 2 -> {
                byte[] b = new byte[size + 3];
                int r = in.read(b, 3, size);
                yield r + ":" + java.util.Arrays.toString(b);
            }
            case 3 -> String.valueOf(in.skip(size - 5));
            case 4 -> {
                in.mark(size);
                yield "mark";
            }
            case 5 -> {
                in.reset();
                yield "reset";
            }
            default -> String.valueOf(in.available());
        };
        return result + " @" + ((SharedInputStream) in).getPosition();
    }

    @Test
    void readsTheWholeArrayAndWindowsOfIt() throws IOException {
        byte[] data = "Subject: x\r\n\r\nbody".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        SharedBytes in = new SharedBytes(data);
        assertArrayEquals(data, in.readAllBytes());
        assertEquals(-1, in.read());
        InputStream body = in.newStream(14, -1);
        assertArrayEquals("body".getBytes(java.nio.charset.StandardCharsets.US_ASCII), body.readAllBytes());
    }
}
