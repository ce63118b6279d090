package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.Reader;

/**
 * A {@link Reader} over lines produced on demand, so a parser (JSON, XML, a form, a binary
 * scan) can feed {@link ExtractionContext#emitText} without building one giant String.
 *
 * <p>Subclasses that meet broken input should remember the problem in {@link #fail}, return
 * {@code null} from {@link #nextLine()}, and let the extractor record it once the text read so
 * far has been emitted: a truncated file still has its readable part scanned.
 */
abstract class LineReader extends Reader {
    private String line;
    private int pos;
    private boolean done;
    private UnscannableReason failureReason;
    private String failure;

    /** The next line without its line end, or {@code null} at the end. */
    protected abstract String nextLine() throws IOException;

    /** Records why reading stopped early; kept for {@link #reportFailure}. Never content. */
    protected final void fail(UnscannableReason reason, String detail) {
        if (failureReason == null) {
            failureReason = reason;
            failure = detail;
        }
    }

    /** Records the reason reading stopped before the end of the input, if it did, at {@code location}. */
    final void reportFailure(ExtractionContext ctx, String location) {
        if (failureReason != null) {
            ctx.unscannable(location, failureReason, failure);
        }
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (line == null) {
                if (done) {
                    break;
                }
                line = nextLine();
                pos = 0;
                if (line == null) {
                    done = true;
                    break;
                }
            }
            if (pos < line.length()) {
                int k = Math.min(len - n, line.length() - pos);
                line.getChars(pos, pos + k, cbuf, off + n);
                pos += k;
                n += k;
            } else {
                cbuf[off + n++] = '\n';
                line = null;
            }
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        done = true;
        line = null;
    }
}
