package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jp.mynaguard.policy.detect.TextSegment;

import org.junit.jupiter.api.Test;

/**
 * {@link TextChunker}: chunk {@code k} starts {@code k * (chunk - overlap)} characters in and is
 * a full chunk unless the text ends in it; each reports its middle. The buffer starts small and
 * grows, so lengths around its first size and its doublings are checked too, with readers that
 * hand out a few characters at a time.
 */
class TextChunkerTest {
    private static final int CHUNK = 20_000;
    private static final int OVERLAP = 2_048;

    @Test
    void chunksAreTheSameWhateverTheBufferGrowth() throws IOException {
        int initial = TextChunker.INITIAL_BUFFER_CHARS;
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 5, initial - 1, initial, initial + 1, 2 * initial + 3, CHUNK - 1, CHUNK,
            CHUNK + 1, 2 * CHUNK - OVERLAP, 2 * CHUNK - OVERLAP + 1, 61_234}) {
            String text = text(length, random);
            List<String> expected = expected(text);
            assertEquals(expected, emit(new StringReader(text)), "length " + length);
            assertEquals(expected, emit(new Trickle(text, random)), "length " + length + ", trickled");
        }
    }

    private static String text(int length, Random random) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            int r = random.nextInt(30);
            sb.append(r == 0 ? '\n' : r == 1 ? '番' : (char) ('a' + r));
        }
        return sb.toString();
    }

    /** The chunks by the rule above, described as "firstLine reportFrom-reportTo text". */
    private static List<String> expected(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int len = Math.min(CHUNK, text.length() - start);
            boolean first = start == 0;
            boolean last = start + len == text.length();
            int lines = (int) text.substring(0, start).chars().filter(c -> c == '\n').count();
            out.add(lines + " " + (first ? 0 : OVERLAP / 2) + "-" + (last ? len : len - OVERLAP / 2) + " "
                    + text.substring(start, start + len));
            if (last) {
                return out;
            }
            start += CHUNK - OVERLAP;
        }
    }

    private static List<String> emit(Reader in) throws IOException {
        List<String> out = new ArrayList<>();
        SegmentSink sink = new SegmentSink() {
            @Override
            public void segment(TextSegment s) {
                out.add(s.firstLine() + " " + s.reportFrom() + "-" + s.reportTo() + " " + s.text());
            }

            @Override
            public void unscannable(Unscannable u) {
                throw new AssertionError(u.toString());
            }
        };
        Limits limits = Limits.builder().chunkChars(CHUNK).chunkOverlapChars(OVERLAP).build();
        new ExtractionContext(limits, sink, FormatRegistry.defaults()).emitText("body", in, null, null);
        return out;
    }

    /** A reader that returns at most a few characters per call, as decoders over small reads do. */
    private static final class Trickle extends Reader {
        private final String text;
        private final Random random;
        private int pos;

        Trickle(String text, Random random) {
            this.text = text;
            this.random = random;
        }

        @Override
        public int read(char[] cbuf, int off, int len) {
            if (pos == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(3000)), text.length() - pos);
            text.getChars(pos, pos + n, cbuf, off);
            pos += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
