package jp.mynaguard.proxy.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import jp.mynaguard.policy.extract.InputSource;

/**
 * The body bytes that bind an approval to the content: the body exactly as sent, except that a
 * {@code multipart/form-data} body has its boundary replaced by {@value #BOUNDARY}. Browsers and
 * curl pick a new random boundary for every submission, so without this a form sent again with
 * the very same file would never match its approval. Nothing else is changed: the parts, their
 * headers and their bytes must be identical. This is also what the hold store keeps for an upload
 * (its {@code contentSha256} is this hash); a console reads a held multipart body with this
 * boundary.
 */
final class CanonicalBody {
    static final String BOUNDARY = "MynaguardCanonicalFormBoundary";

    private CanonicalBody() {
    }

    /** The canonical body of {@code body}, streamed (a 1 GB body costs no memory). */
    static InputStream of(InputStream body, String contentType) {
        String boundary = foreignBoundary(contentType);
        if (boundary == null) {
            return body;
        }
        return new Replacing(body, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1),
                ("--" + BOUNDARY).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The boundary of a form that is not already {@link #BOUNDARY}; null when the body is its own canonical form. */
    private static String foreignBoundary(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String boundary = type.equals("multipart/form-data") ? UploadedFiles.boundary(contentType) : null;
        return boundary == null || boundary.isEmpty() || boundary.equals(BOUNDARY) ? null : boundary;
    }

    /**
     * The canonical body for the hold store, which encrypts it as it reads it, kept off the disk
     * where it can be (the gateway must not leave a roster in a plaintext file): the body itself
     * when that is already canonical; a form's canonical copy in memory blocks charged to
     * {@code memory}; a temporary file only when the copy does not fit there, as with a body
     * so large that it is in the spool file itself.
     */
    static Copy forHold(InputSource body, String contentType, BodyMemory memory) throws IOException {
        if (foreignBoundary(contentType) == null) {
            return new Copy(body, null);
        }
        BodyBlocks blocks = new BodyBlocks(memory, ByteBufAllocator.DEFAULT);
        boolean fits = true;
        try (InputStream in = of(body.openStream(), contentType)) {
            byte[] buf = new byte[64 * 1024];
            long copied = 0;
            int n;
            while (fits && (n = in.readNBytes(buf, 0, buf.length)) > 0) {
                copied += n;
                fits = copied <= memory.perBody() && blocks.append(Unpooled.wrappedBuffer(buf, 0, n));
            }
        } catch (IOException | RuntimeException e) {
            blocks.close();
            throw e;
        }
        if (fits) {
            return new Copy(InputSource.ofBuffers(blocks.nioBuffers()), blocks);
        }
        blocks.close();
        try (InputStream again = of(body.openStream(), contentType)) {
            return new Copy(InputSource.spool(again, 0, Long.MAX_VALUE), null);
        }
    }

    /** A canonical body for the hold store; closing frees its memory blocks or deletes its file. */
    static final class Copy implements AutoCloseable {
        private final InputSource source;
        private final BodyBlocks blocks;

        private Copy(InputSource source, BodyBlocks blocks) {
            this.source = source;
            this.blocks = blocks;
        }

        InputSource source() {
            return source;
        }

        /** Whether the copy is in memory blocks (not the body itself, not a file). */
        boolean inMemoryBlocks() {
            return blocks != null;
        }

        @Override
        public void close() throws IOException {
            try {
                source.close();
            } finally {
                if (blocks != null) {
                    blocks.close();
                }
            }
        }
    }

    /** SHA-256 (lower-case hex) of the canonical body. */
    static String sha256(InputStream body, String contentType) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = of(body, contentType)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Replaces every occurrence of {@code from} with {@code to}, streaming (Knuth-Morris-Pratt over
     * the input, so a partial match across reads is neither lost nor duplicated). Reads the input a
     * block at a time into a reused output buffer: a 16 MB form is hashed and copied in milliseconds.
     */
    static final class Replacing extends FilterInputStream {
        private final byte[] from;
        private final byte[] to;
        private final int[] fail;
        private int matched;
        private final byte[] block = new byte[64 * 1024];
        /** Output ready to be returned: {@code out[outPos, outLen)}. */
        private byte[] out = new byte[64 * 1024];
        private int outPos;
        private int outLen;
        private boolean eof;

        Replacing(InputStream in, byte[] from, byte[] to) {
            super(in);
            this.from = from;
            this.to = to;
            this.fail = new int[from.length];
            for (int i = 1, k = 0; i < from.length; i++) {
                while (k > 0 && from[i] != from[k]) {
                    k = fail[k - 1];
                }
                if (from[i] == from[k]) {
                    k++;
                }
                fail[i] = k;
            }
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
            while (outPos == outLen) {
                if (eof) {
                    return -1;
                }
                refill();
            }
            int n = Math.min(len, outLen - outPos);
            System.arraycopy(out, outPos, b, off, n);
            outPos += n;
            return n;
        }

        @Override
        public int available() {
            return outLen - outPos;
        }

        /** Turns the next block of input into output (possibly none, inside a partial match). */
        private void refill() throws IOException {
            outPos = 0;
            outLen = 0;
            int n = in.read(block, 0, block.length);
            if (n < 0) {
                eof = true;
                append(from, matched); // a partial match at the end is kept
                matched = 0;
                return;
            }
            for (int i = 0; i < n; i++) {
                step(block[i]);
            }
        }

        /** Advances the match by one byte; what is known not to be part of a match becomes output. */
        private void step(byte c) {
            int k = matched;
            while (k > 0 && c != from[k]) {
                k = fail[k - 1];
            }
            // The head of the old partial match that no longer belongs to one is output now.
            append(from, matched - k);
            if (c == from[k]) {
                k++;
                if (k == from.length) {
                    append(to, to.length);
                    k = 0;
                }
            } else {
                ensure(1);
                out[outLen++] = c;
            }
            matched = k;
        }

        private void append(byte[] src, int n) {
            ensure(n);
            System.arraycopy(src, 0, out, outLen, n);
            outLen += n;
        }

        private void ensure(int n) {
            if (outLen + n > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + n));
            }
        }
    }
}
