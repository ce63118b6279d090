package jp.mynaguard.proxy.audit;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Signed JSON lines (checkpoints and the head): the signature is the last field, {@code "sig"},
 * and signs the line as it reads without that field. Verifying needs no re-serialising, so any
 * change of a byte before the signature shows.
 */
final class Seal {
    private static final byte[] SIG = ",\"sig\":\"".getBytes(StandardCharsets.US_ASCII);

    private Seal() {
    }

    /** {@code {...}} becomes {@code {...,"sig":"BASE64"}}. */
    static byte[] signed(byte[] unsigned, AuditKey key) {
        String sig = key.sign(unsigned);
        byte[] tail = (",\"sig\":\"" + sig + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(unsigned, unsigned.length - 1 + tail.length);
        System.arraycopy(tail, 0, out, unsigned.length - 1, tail.length);
        return out;
    }

    /** Whether the line ends in a valid signature by {@code key} over the rest of it. */
    static boolean valid(byte[] line, String signature, PublicKey key) {
        int at = lastIndexOf(line, SIG);
        if (at < 0 || signature == null) {
            return false;
        }
        byte[] unsigned = Arrays.copyOf(line, at + 1);
        unsigned[at] = '}';
        byte[] expectedTail = (",\"sig\":\"" + signature + "\"}").getBytes(StandardCharsets.US_ASCII);
        if (line.length - at != expectedTail.length) {
            return false;
        }
        return AuditKey.verify(key, unsigned, signature);
    }

    private static int lastIndexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = b.length - pattern.length; i >= 0; i--) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
