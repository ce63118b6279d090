package jp.mynaguard.proxy.console;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords, RFC 6238 with the parameters every authenticator app supports:
 * HMAC-SHA1, 30-second steps, 6 digits. A code is accepted for the current step and one step
 * either side (clock drift between phone and server); which step matched is returned so the
 * caller can refuse a second use of it ({@link TotpReplayGuard}).
 */
public final class Totp {
    public static final int PERIOD_SECONDS = 30;
    public static final int DIGITS = 6;
    /** Steps accepted before and after the current one (RFC 6238 §5.2 recommends at most one). */
    public static final int DRIFT_STEPS = 1;
    /** 160 bits: the HMAC-SHA1 block-size key RFC 4226 §4 recommends. */
    public static final int SECRET_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {
    }

    /** A new random secret, base32 (for the users file and the enrollment URI). */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return Base32.encode(key);
    }

    /** The RFC 6238 time step of {@code t}. */
    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), PERIOD_SECONDS);
    }

    /**
     * The code for {@code step} (RFC 4226 dynamic truncation).
     *
     * @param algorithm {@code HmacSHA1} (what apps use), {@code HmacSHA256} or {@code HmacSHA512} (RFC 6238 vectors)
     */
    public static String code(byte[] key, long step, String algorithm, int digits) {
        byte[] hash;
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = (hash[offset] & 0x7f) << 24 | (hash[offset + 1] & 0xff) << 16 | (hash[offset + 2] & 0xff) << 8
                | hash[offset + 3] & 0xff;
        long modulus = (long) Math.pow(10, digits);
        String s = Long.toString(binary % modulus);
        return "0".repeat(digits - s.length()) + s;
    }

    /**
     * The step within {@link #DRIFT_STEPS} of {@code now} whose code is {@code code}, or {@code -1}.
     * Every candidate is computed and compared in constant time, so the answer's timing says nothing.
     */
    public static long matchingStep(String base32Secret, String code, Instant now) {
        if (code == null) {
            return -1;
        }
        String typed = code.replace(" ", "");
        if (typed.length() != DIGITS || !typed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        byte[] key = Base32.decode(base32Secret);
        long current = step(now);
        long found = -1;
        for (long s = current - DRIFT_STEPS; s <= current + DRIFT_STEPS; s++) {
            byte[] expected = code(key, s, "HmacSHA1", DIGITS).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, typed.getBytes(StandardCharsets.US_ASCII)) && found < 0) {
                found = s;
            }
        }
        return found;
    }

    /**
     * The {@code otpauth://} URI an authenticator app enrolls from (as a QR code or pasted). It
     * holds the secret: print it for the user once, never log it.
     */
    public static String enrollmentUri(String issuer, String account, String base32Secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + PERIOD_SECONDS;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
