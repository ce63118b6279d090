package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;

/**
 * Undoes HTTP/1.1 chunked transfer coding (RFC 9112 7.1), strictly: hex chunk sizes of at most
 * 15 digits, CRLF line ends (a lone LF is a request-smuggling vector, so it is refused), CRLF
 * after each chunk's data, a terminating zero-size chunk and an empty line after the trailers.
 *
 * <p>Broken framing does not throw: the stream ends where the framing broke, and
 * {@link #problem()} says why, so the data before that point is still scanned and the break is
 * recorded as {@code malformed}.
 */
final class ChunkedInputStream extends InputStream {
    private static final int MAX_SIZE_DIGITS = 15;
    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private final int maxTrailerBytes;
    private long remaining;
    private boolean started;
    private boolean done;
    private String problem;

    ChunkedInputStream(InputStream in, int maxTrailerBytes) {
        this.in = in;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** Why the body ended early, or {@code null} when the framing was complete and valid. */
    String problem() {
        return problem;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0 && !nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            return stop("chunk data truncated");
        }
        remaining -= n;
        return n;
    }

    /** Moves to the next chunk with data; {@code false} at the end (or a framing problem). */
    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        if (started && !crlf()) {
            stop("chunk data not followed by CRLF");
            return false;
        }
        started = true;
        String line = line();
        if (line == null) {
            stop("chunk size line malformed or truncated");
            return false;
        }
        int i = 0;
        long size = 0;
        while (i < line.length() && HeaderText.hex(line.charAt(i)) >= 0) {
            if (i >= MAX_SIZE_DIGITS) {
                stop("chunk size too large");
                return false;
            }
            size = size << 4 | HeaderText.hex(line.charAt(i));
            i++;
        }
        int digits = i;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (digits == 0 || i < line.length() && line.charAt(i) != ';') {
            stop("chunk size not hexadecimal");
            return false;
        }
        if (size == 0) {
            trailers();
            done = true;
            return false;
        }
        remaining = size;
        return true;
    }

    /** Skips trailer fields up to the empty line that ends the message. */
    private void trailers() throws IOException {
        long total = 0;
        while (true) {
            String line = line();
            if (line == null) {
                stop("chunked body not terminated");
                return;
            }
            if (line.isEmpty()) {
                return;
            }
            total += line.length() + 2;
            if (total > maxTrailerBytes) {
                stop("trailer section too large");
                return;
            }
        }
    }

    private boolean crlf() throws IOException {
        return in.read() == '\r' && in.read() == '\n';
    }

    /** A CRLF-terminated line without the CRLF, or {@code null} when broken, too long or truncated. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() <= MAX_LINE) {
            int c = in.read();
            if (c < 0 || c == '\n') {
                return null;
            }
            if (c == '\r') {
                return in.read() == '\n' ? sb.toString() : null;
            }
            sb.append((char) c);
        }
        return null;
    }

    private int stop(String why) {
        if (problem == null) {
            problem = why;
        }
        done = true;
        remaining = 0;
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
