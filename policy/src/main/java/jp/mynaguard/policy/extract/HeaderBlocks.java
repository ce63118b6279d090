package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;

/**
 * Measures a header block (message, MIME part or HTTP request) before a parser loads it:
 * jakarta.mail's InternetHeaders has no size limit, so a part with megabytes of header lines
 * would sit in memory as Strings. Only the first {@code max + 1} bytes are ever read.
 */
final class HeaderBlocks {
    private HeaderBlocks() {
    }

    /**
     * Whether the header block at the start of {@code in} is longer than {@code max} bytes, i.e.
     * no empty line (LF LF or CRLF CRLF) ends it within that many bytes and more data follows.
     * A block that simply runs to the end of the input (headers without a body) is not too long
     * if it is shorter than {@code max}. Closes {@code in}.
     */
    static boolean exceeds(InputStream in, int max) throws IOException {
        // Read in blocks and scan the array: a read() per byte costs a synchronized call each.
        try (in) {
            byte[] buf = new byte[(int) Math.min(8192, max + 1L)];
            long seen = 0;
            int lineLength = 0;
            while (seen <= max) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, max + 1L - seen));
                if (n < 0) {
                    return false;
                }
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (c == '\n') {
                        if (lineLength == 0) {
                            return false;
                        }
                        lineLength = 0;
                    } else if (c != '\r') {
                        lineLength++;
                    }
                }
                seen += n;
            }
            return true;
        }
    }
}
