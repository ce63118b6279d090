package jp.mynaguard.proxy.hold;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for held content of any size, in independently authenticated 64 KiB segments
 * (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, as in Tink's streaming
 * AEAD): the JDK's GCM buffers a whole message before releasing a byte of plaintext, which a
 * 200 MB message must not do to the heap.
 *
 * <p>Segment {@code i} is sealed under the item's data key with nonce
 * {@code prefix(7) ‖ i(4, big-endian) ‖ last(1)} and the file header plus the item's reference
 * id as associated data. So a segment cannot be changed, moved, dropped, or the file cut at a
 * segment boundary (the new last segment was sealed as "not last"), nor the file given to
 * another item, without decryption failing.
 *
 * <pre>
 * file    = header segment* final-segment
 * header  = "MYNAHOLD" version(1)=1 segment-size(4) nonce-prefix(7)
 * segment = AES-GCM(plaintext[segment-size]) ‖ tag(16);  final: 0..segment-size bytes
 * </pre>
 */
final class ContentCipher {
    static final int SEGMENT_SIZE = 64 * 1024;
    private static final byte[] MAGIC = "MYNAHOLD".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int PREFIX_BYTES = 7;
    static final int HEADER_BYTES = MAGIC.length + 1 + 4 + PREFIX_BYTES;
    private static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContentCipher() {
    }

    /** Plaintext size and SHA-256 (hex) of what was encrypted. */
    record Sealed(long size, String sha256) {
    }

    static Sealed encrypt(InputStream plain, OutputStream out, SecretKey dataKey, String referenceId) throws IOException {
        byte[] prefix = new byte[PREFIX_BYTES];
        RANDOM.nextBytes(prefix);
        byte[] header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put(VERSION).putInt(SEGMENT_SIZE).put(prefix).array();
        out.write(header);
        byte[] aad = aad(header, referenceId);
        MessageDigest sha = sha256();
        Cipher cipher = gcm();
        byte[] segment = new byte[SEGMENT_SIZE];
        int lookahead = -1;
        long size = 0;
        for (int index = 0; ; index++) {
            int n = 0;
            if (lookahead >= 0) {
                segment[n++] = (byte) lookahead;
            }
            n += plain.readNBytes(segment, n, SEGMENT_SIZE - n);
            // Only a read past a full segment tells whether it was the last one.
            lookahead = n == SEGMENT_SIZE ? plain.read() : -1;
            boolean last = lookahead < 0;
            sha.update(segment, 0, n);
            size += n;
            out.write(seal(cipher, dataKey, nonce(prefix, index, last), aad, segment, n));
            if (last) {
                return new Sealed(size, HexFormat.of().formatHex(sha.digest()));
            }
        }
    }

    /**
     * A stream of the plaintext that checks each segment before releasing it, and at the end
     * that the whole matches {@code expectedSha256}. Any failure is an {@link IOException}:
     * a consumer must treat what it already read as void (the release path sends nothing it
     * has not fully verified).
     */
    static InputStream decrypt(InputStream in, SecretKey dataKey, String referenceId, String expectedSha256)
            throws IOException {
        byte[] header = in.readNBytes(HEADER_BYTES);
        if (header.length != HEADER_BYTES || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || header[MAGIC.length] != VERSION) {
            throw new IOException("held content of " + referenceId + " is not in a known format");
        }
        ByteBuffer hb = ByteBuffer.wrap(header, MAGIC.length + 1, 4 + PREFIX_BYTES);
        int segmentSize = hb.getInt();
        if (segmentSize <= 0 || segmentSize > 16 * 1024 * 1024) {
            throw new IOException("held content of " + referenceId + " has a damaged header");
        }
        byte[] prefix = new byte[PREFIX_BYTES];
        hb.get(prefix);
        return new Opening(in, dataKey, referenceId, expectedSha256, segmentSize, prefix, aad(header, referenceId));
    }

    /** AES-GCM for a small value (the envelope): random nonce ‖ ciphertext ‖ tag. */
    static byte[] sealBlob(SecretKey key, byte[] aad, byte[] plain) throws IOException {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] sealed = seal(gcm(), key, nonce, aad, plain, plain.length);
        byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return out;
    }

    static byte[] openBlob(SecretKey key, byte[] aad, byte[] sealed) throws IOException {
        try {
            Cipher c = gcm();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, 0, 12));
            c.updateAAD(aad);
            return c.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("sealed value failed authentication: damaged or tampered", e);
        }
    }

    private static byte[] seal(Cipher c, SecretKey key, byte[] nonce, byte[] aad, byte[] data, int len) throws IOException {
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            c.updateAAD(aad);
            return c.doFinal(data, 0, len);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt held content", e);
        }
    }

    static byte[] nonce(byte[] prefix, int index, boolean last) {
        return ByteBuffer.allocate(12).put(prefix).putInt(index).put((byte) (last ? 1 : 0)).array();
    }

    private static byte[] aad(byte[] header, String referenceId) {
        byte[] id = referenceId.getBytes(StandardCharsets.UTF_8);
        byte[] aad = Arrays.copyOf(header, header.length + id.length);
        System.arraycopy(id, 0, aad, header.length, id.length);
        return aad;
    }

    static Cipher gcm() throws IOException {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Decrypts segment by segment; see {@link #decrypt}. */
    private static final class Opening extends InputStream {
        private final InputStream in;
        private final SecretKey key;
        private final String referenceId;
        private final String expectedSha256;
        private final byte[] prefix;
        private final byte[] aad;
        private final byte[] sealed;
        private final Cipher cipher;
        private final MessageDigest sha = sha256();
        private int lookahead = -1;
        private int index;
        private byte[] plain = new byte[0];
        private int pos;
        private boolean done;

        Opening(InputStream in, SecretKey key, String referenceId, String expectedSha256, int segmentSize,
                byte[] prefix, byte[] aad) throws IOException {
            this.in = in;
            this.key = key;
            this.referenceId = referenceId;
            this.expectedSha256 = expectedSha256;
            this.prefix = prefix;
            this.aad = aad;
            this.sealed = new byte[segmentSize + TAG_BYTES];
            this.cipher = gcm();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == plain.length) {
                if (done) {
                    return -1;
                }
                nextSegment();
            }
            int n = Math.min(len, plain.length - pos);
            System.arraycopy(plain, pos, b, off, n);
            pos += n;
            return n;
        }

        private void nextSegment() throws IOException {
            int n = 0;
            if (lookahead >= 0) {
                sealed[n++] = (byte) lookahead;
            }
            n += in.readNBytes(sealed, n, sealed.length - n);
            lookahead = n == sealed.length ? in.read() : -1;
            boolean last = lookahead < 0;
            if (n < TAG_BYTES) {
                throw new EOFException("held content of " + referenceId + " is truncated");
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, index++, last)));
                cipher.updateAAD(aad);
                plain = cipher.doFinal(sealed, 0, n);
            } catch (GeneralSecurityException e) {
                throw new IOException("held content of " + referenceId + " failed authentication: damaged or tampered", e);
            }
            pos = 0;
            sha.update(plain);
            if (last) {
                done = true;
                String actual = HexFormat.of().formatHex(sha.digest());
                if (expectedSha256 != null && !expectedSha256.equals(actual)) {
                    throw new IOException("held content of " + referenceId + " does not match its recorded hash");
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
