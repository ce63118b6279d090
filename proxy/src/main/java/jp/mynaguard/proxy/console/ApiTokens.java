package jp.mynaguard.proxy.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import jp.mynaguard.proxy.smtp.SmtpUser;

/**
 * API tokens for scripts: {@code mgt_ID_SECRET}, where ID (10 base32 characters) names the token
 * in the users file and SECRET is 256 random bits. Only SHA-256 of the whole token is stored: a
 * slow KDF is for guessable passwords, a 256-bit random token cannot be guessed, and a fast hash
 * lets every API request be checked without a worker spending half a second on it.
 */
public final class ApiTokens {
    public static final String PREFIX = "mgt_";
    private static final int ID_BYTES = 5;
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token as printed once to the admin, and its stored form. */
    public record Issued(String token, SmtpUser.Token stored) {
        @Override
        public String toString() {
            return "Issued[" + stored.id() + "]";
        }
    }

    private ApiTokens() {
    }

    public static Issued issue() {
        byte[] id = new byte[ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String idText = Base32.encode(id).toLowerCase(Locale.ROOT);
        String token = PREFIX + idText + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(token, new SmtpUser.Token(idText, sha256(token)));
    }

    /** The id part of a well-formed token, or {@code null}. */
    public static String idOf(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 128) {
            return null;
        }
        int sep = token.indexOf('_', PREFIX.length());
        if (sep < 0) {
            return null;
        }
        String id = token.substring(PREFIX.length(), sep);
        return id.matches("[a-z0-9]{1,32}") ? id : null;
    }

    /** Constant-time comparison of the token's hash with the stored one. */
    public static boolean matches(String token, SmtpUser.Token stored) {
        return MessageDigest.isEqual(sha256(token).getBytes(StandardCharsets.US_ASCII),
                stored.sha256().getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
