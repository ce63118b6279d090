package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.Reader;

/**
 * A {@link Reader} whose text is produced on demand by a parser (a sheet, a document body, an
 * RTF stream), so that {@link TextChunker} can cut it into segments while the parser only ever
 * holds a small piece of it. Subclasses append to {@link #out} in {@link #produce()}.
 */
abstract class PullingReader extends Reader {
    /** Roughly how much text {@link #produce()} should add before returning. */
    static final int BATCH_CHARS = 8192;

    /** Text produced but not yet read. */
    protected final StringBuilder out = new StringBuilder(BATCH_CHARS * 2);
    private long outStart;
    private int pos;
    private boolean done;

    /**
     * Appends the next piece of text to {@link #out} (any amount, ideally around
     * {@link #BATCH_CHARS}).
     *
     * @return {@code false} once the input is exhausted (whatever was appended is still read)
     */
    protected abstract boolean produce() throws IOException;

    /** Offset, counted from the start of the whole text, of {@code out.charAt(0)}. */
    protected final long outStart() {
        return outStart;
    }

    /** Offset, counted from the start of the whole text, at which the next appended char will sit. */
    protected final long position() {
        return outStart + out.length();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= out.length()) {
            outStart += out.length();
            out.setLength(0);
            pos = 0;
            if (done) {
                return -1;
            }
            done = !produce();
        }
        int n = Math.min(len, out.length() - pos);
        out.getChars(pos, pos + n, cbuf, off);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        done = true;
        out.setLength(0);
        pos = 0;
    }
}
