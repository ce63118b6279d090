package jp.mynaguard.proxy.smtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the SMTP users file: PBKDF2-HMAC-SHA256 from the JDK (no native code, no
 * extra dependency), encoded as {@code pbkdf2-sha256:ITERATIONS:SALT:HASH} (base64) so the cost
 * can be raised later without invalidating existing entries.
 */
public final class PasswordHash {
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String create(char[] password) {
        return create(password, DEFAULT_ITERATIONS);
    }

    /** A new hash with a fresh salt; {@code iterations} below the default only for tests. */
    public static String create(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /** Whether {@code encoded} is a hash this class can verify (for the users file loader). */
    public static boolean isWellFormed(String encoded) {
        try {
            parse(encoded);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Constant-time comparison; {@code false} for a malformed hash. Slow on purpose: call it off the event loop. */
    public static boolean verify(char[] password, String encoded) {
        Parsed p;
        try {
            p = parse(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = derive(password, p.salt, p.iterations);
        return MessageDigest.isEqual(actual, p.hash);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        String[] f = encoded == null ? new String[0] : encoded.split(":", -1);
        if (f.length != 4 || !SCHEME.equals(f[0])) {
            throw new IllegalArgumentException("not a " + SCHEME + " hash");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(f[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad iteration count", e);
        }
        if (iterations < 1 || iterations > 100_000_000) {
            throw new IllegalArgumentException("bad iteration count");
        }
        Base64.Decoder d = Base64.getDecoder();
        return new Parsed(iterations, d.decode(f[2]), d.decode(f[3]));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
