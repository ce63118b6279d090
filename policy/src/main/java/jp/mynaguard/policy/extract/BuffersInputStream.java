package jp.mynaguard.policy.extract;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads a window of a run of buffers (from position 0 to limit each) with absolute gets, so the
 * buffers themselves are never moved and several streams can read them at once.
 */
final class BuffersInputStream extends InputStream {
    private final ByteBuffer[] buffers;
    private long remaining;
    private int index;
    /** Position in {@code buffers[index]}. */
    private int at;

    BuffersInputStream(ByteBuffer[] buffers, long from, long length) {
        this.buffers = buffers;
        this.remaining = length;
        long skip = from;
        while (index < buffers.length && skip >= buffers[index].limit()) {
            skip -= buffers[index].limit();
            index++;
        }
        at = (int) skip;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int done = 0;
        int n;
        while (done < len && (n = step(len - done)) > 0) {
            buffers[index].get(at, b, off + done, n);
            advance(n);
            done += n;
        }
        return done == 0 ? -1 : done;
    }

    @Override
    public long skip(long n) {
        long skipped = 0;
        int step;
        while (skipped < n && (step = step(n - skipped)) > 0) {
            advance(step);
            skipped += step;
        }
        return skipped;
    }

    /** How many of {@code wanted} bytes the current buffer has (past empty ones), within the window; 0 at its end. */
    private int step(long wanted) {
        while (index < buffers.length && at == buffers[index].limit()) {
            index++;
            at = 0;
        }
        if (remaining == 0 || index == buffers.length) {
            return 0;
        }
        return (int) Math.min(Math.min(wanted, buffers[index].limit() - at), remaining);
    }

    /** Past {@code n} bytes of the current buffer ({@link #step} moves on to the next one). */
    private void advance(int n) {
        at += n;
        remaining -= n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
}
