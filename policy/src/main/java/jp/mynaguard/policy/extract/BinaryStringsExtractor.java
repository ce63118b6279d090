package jp.mynaguard.policy.extract;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * BINARY (unknown type): like {@code strings(1)}, every run of at least {@link #MIN_RUN}
 * printable characters (ASCII, or valid UTF-8 in the ranges Japanese text uses) becomes one line. A renamed text file or a number
 * stored as text inside an unknown container is still found; an image yields little.
 */
final class BinaryStringsExtractor implements FormatExtractor {
    static final int MIN_RUN = 4;
    /** A run this long is cut into lines, so one huge run cannot grow a huge String. */
    static final int MAX_LINE = 16 * 1024;

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        try (Runs runs = new Runs(new BufferedInputStream(source.openStream(), 64 * 1024))) {
            ctx.emitText(location, runs, null, null);
        }
    }

    /** Lines of printable runs, read byte by byte from a buffered stream. */
    private static final class Runs extends LineReader {
        private final InputStream in;
        private final StringBuilder run = new StringBuilder();
        private final int[] seq = new int[4];
        private boolean eof;

        Runs(InputStream in) {
            this.in = in;
        }

        @Override
        protected String nextLine() throws IOException {
            while (!eof) {
                int c = in.read();
                if (c < 0) {
                    eof = true;
                    break;
                }
                int cp = c < 0x80 ? c : utf8(c);
                if (cp >= 0 && printable(cp)) {
                    run.appendCodePoint(cp);
                    if (run.length() >= MAX_LINE) {
                        return take();
                    }
                } else if (run.length() >= MIN_RUN) {
                    return take();
                } else {
                    run.setLength(0);
                }
            }
            return run.length() >= MIN_RUN ? take() : null;
        }

        private String take() {
            String s = run.toString();
            run.setLength(0);
            return s;
        }

        /**
         * ASCII, and of the rest only what Japanese text is written in: compressed data is full of
         * short valid UTF-8 sequences in other scripts, which would only be noise.
         */
        private static boolean printable(int cp) {
            if (cp < 0x80) {
                return cp >= 0x20 && cp < 0x7f || cp == '\t';
            }
            return cp >= 0xa0 && cp <= 0xff                  // Latin-1 letters, NBSP
                    || cp >= 0x2010 && cp <= 0x2312          // punctuation, minus, arrows, math
                    || cp >= 0x2460 && cp <= 0x24ff          // ① …
                    || cp >= 0x3000 && cp <= 0x33ff          // CJK punctuation, kana, ㈱, ㍉
                    || cp >= 0x4e00 && cp <= 0x9fff          // CJK ideographs
                    || cp >= 0xf900 && cp <= 0xfaff          // compatibility ideographs (﨑 in CP932)
                    || cp >= 0xff01 && cp <= 0xffef;         // full-width forms, half-width kana
        }

        /**
         * The code point of a UTF-8 sequence starting with lead byte {@code c}, or -1 when the
         * sequence is invalid; the bytes after an invalid lead are looked at again.
         */
        private int utf8(int c) throws IOException {
            int n;
            int cp;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
                cp = c & 0x1f;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                cp = c & 0x0f;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                cp = c & 0x07;
            } else {
                return -1;
            }
            in.mark(n);
            for (int i = 0; i < n; i++) {
                seq[i] = in.read();
                if (seq[i] < 0x80 || seq[i] > 0xbf) {
                    in.reset();
                    return -1;
                }
                cp = cp << 6 | (seq[i] & 0x3f);
            }
            boolean overlong = n == 2 && cp < 0x800 || n == 3 && cp < 0x10000;
            if (overlong || cp > 0x10ffff || cp >= 0xd800 && cp <= 0xdfff) {
                in.reset();
                return -1;
            }
            return cp;
        }

        @Override
        public void close() throws IOException {
            super.close();
            in.close();
        }
    }
}
