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
        while (done < len && remaining > 0 && index < buffers.length) {
            ByteBuffer buf = buffers[index];
            int n = (int) Math.min(Math.min(len - done, buf.limit() - at), remaining);
            buf.get(at, b, off + done, n);
            at += n;
            done += n;
            remaining -= n;
            if (at == buf.limit()) {
                index++;
                at = 0;
            }
        }
        return done == 0 ? -1 : done;
    }

    @Override
    public long skip(long n) {
        long skipped = 0;
        while (skipped < n && remaining > 0 && index < buffers.length) {
            int step = (int) Math.min(Math.min(n - skipped, buffers[index].limit() - at), remaining);
            at += step;
            skipped += step;
            remaining -= step;
            if (at == buffers[index].limit()) {
                index++;
                at = 0;
            }
        }
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
}
