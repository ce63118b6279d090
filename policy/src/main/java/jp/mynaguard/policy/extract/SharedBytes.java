package jp.mynaguard.policy.extract;

import java.io.InputStream;
import java.util.Objects;

import jakarta.mail.util.SharedByteArrayInputStream;

/**
 * {@link SharedByteArrayInputStream} without the locks: jakarta.mail reads header lines a byte
 * at a time ({@code LineInputStream.readLine} calls {@code read()} per byte, and mark/reset at
 * each CR), and {@code ByteArrayInputStream}'s synchronized methods made that a lock per byte.
 * A parse uses its streams from one thread, so nothing needs them. Windows ({@link #newStream})
 * are of this class too. Each method does what {@code ByteArrayInputStream}'s does.
 */
final class SharedBytes extends SharedByteArrayInputStream {
    SharedBytes(byte[] buf) {
        super(buf);
    }

    private SharedBytes(byte[] buf, int offset, int length) {
        super(buf, offset, length);
    }

    @Override
    public int read() {
        return pos < count ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (pos >= count) {
            return -1;
        }
        int n = Math.min(len, count - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = count - pos;
        if (n < k) {
            k = n < 0 ? 0 : n;
        }
        pos += (int) k;
        return k;
    }

    @Override
    public int available() {
        return count - pos;
    }

    @Override
    public void mark(int readAheadLimit) {
        mark = pos;
    }

    @Override
    public void reset() {
        pos = mark;
    }

    @Override
    public InputStream newStream(long start, long end) {
        if (start < 0) {
            throw new IllegalArgumentException("start < 0");
        }
        if (end == -1) {
            end = count - this.start;
        }
        return new SharedBytes(buf, this.start + (int) start, (int) (end - start));
    }
}
