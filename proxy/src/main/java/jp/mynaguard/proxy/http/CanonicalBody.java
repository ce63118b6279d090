package jp.mynaguard.proxy.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        String boundary = type.equals("multipart/form-data") ? UploadedFiles.boundary(contentType) : null;
        if (boundary == null || boundary.isEmpty() || boundary.equals(BOUNDARY)) {
            return body;
        }
        return new Replacing(new java.io.BufferedInputStream(body, 64 * 1024), ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1),
                ("--" + BOUNDARY).getBytes(StandardCharsets.ISO_8859_1));
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
     * the input, so a partial match across reads is neither lost nor duplicated).
     */
    static final class Replacing extends FilterInputStream {
        private final byte[] from;
        private final byte[] to;
        private final int[] fail;
        private int matched;
        /** Bytes ready to be returned: a replacement, or the part of a failed match to give back. */
        private byte[] out = new byte[0];
        private int outPos;
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
            int written = 0;
            while (written < len) {
                if (outPos < out.length) {
                    int n = Math.min(len - written, out.length - outPos);
                    System.arraycopy(out, outPos, b, off + written, n);
                    outPos += n;
                    written += n;
                    continue;
                }
                if (eof) {
                    break;
                }
                int c = in.read();
                if (c < 0) {
                    eof = true;
                    emit(from, matched);
                    matched = 0;
                    continue;
                }
                step((byte) c);
                if (written > 0 && outPos >= out.length && in.available() == 0) {
                    break;
                }
            }
            return written == 0 && eof && outPos >= out.length ? -1 : written;
        }

        /** Advances the match by one byte; what is known not to be part of a match becomes output. */
        private void step(byte c) {
            int k = matched;
            while (k > 0 && c != from[k]) {
                k = fail[k - 1];
            }
            // The bytes of the old partial match that no longer belong to one are output now.
            int released = matched - k;
            byte[] pending = new byte[released + (c == from[k] ? 0 : 1)];
            System.arraycopy(from, 0, pending, 0, released);
            if (c == from[k]) {
                k++;
            } else {
                pending[released] = c;
            }
            if (k == from.length) {
                byte[] both = new byte[pending.length + to.length];
                System.arraycopy(pending, 0, both, 0, pending.length);
                System.arraycopy(to, 0, both, pending.length, to.length);
                pending = both;
                k = 0;
            }
            matched = k;
            out = pending;
            outPos = 0;
        }

        private void emit(byte[] src, int n) {
            out = java.util.Arrays.copyOf(src, n);
            outPos = 0;
        }
    }
}
