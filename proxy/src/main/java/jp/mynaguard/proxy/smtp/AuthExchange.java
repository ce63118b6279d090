package jp.mynaguard.proxy.smtp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * The SASL PLAIN (RFC 4616) and LOGIN exchanges of SMTP AUTH (RFC 4954), without I/O: the
 * session feeds it the AUTH argument and continuation lines and gets back a challenge, the
 * credentials to verify, or an error reply. Credentials are never logged or put into replies.
 */
final class AuthExchange {
    static final String MECHANISMS = "PLAIN LOGIN";

    /** What to do next. */
    sealed interface Step permits Challenge, Credentials, Failed {
    }

    /** Send {@code 334 text} and wait for a continuation line. */
    record Challenge(String text) implements Step {
    }

    /** Verify these. The password array is the caller's to clear. */
    record Credentials(String user, char[] password) implements Step {
        @Override
        public String toString() {
            return "Credentials[" + user + "]";
        }
    }

    /** The exchange ended without credentials. */
    record Failed(SmtpReply reply) implements Step {
    }

    static final SmtpReply CANCELLED = SmtpReply.of(501, "5.0.0", "Authentication cancelled");
    static final SmtpReply BAD_BASE64 = SmtpReply.of(501, "5.5.2", "Cannot decode the response");
    static final SmtpReply UNKNOWN_MECHANISM = SmtpReply.of(504, "5.5.4", "Unrecognized authentication mechanism");
    static final SmtpReply MALFORMED = SmtpReply.of(501, "5.5.2", "Malformed authentication response");
    private static final String USERNAME = Base64.getEncoder().encodeToString("Username:".getBytes(StandardCharsets.US_ASCII));
    private static final String PASSWORD = Base64.getEncoder().encodeToString("Password:".getBytes(StandardCharsets.US_ASCII));

    private enum Mechanism { PLAIN, LOGIN }

    private Mechanism mechanism;
    private String loginUser;

    /** Starts with the AUTH argument, e.g. {@code PLAIN AGFsaWNlAHNlY3JldA==} or {@code LOGIN}. */
    Step start(String argument) {
        String[] parts = argument.trim().split(" +", 2);
        String mech = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        switch (mech) {
            case "PLAIN":
                mechanism = Mechanism.PLAIN;
                return initial == null ? new Challenge("") : plain(initial);
            case "LOGIN":
                mechanism = Mechanism.LOGIN;
                return initial == null ? new Challenge(USERNAME) : loginUser(initial);
            default:
                return new Failed(UNKNOWN_MECHANISM);
        }
    }

    /** A continuation line from the client. */
    Step respond(String line) {
        if ("*".equals(line)) {
            return new Failed(CANCELLED);
        }
        if (mechanism == Mechanism.PLAIN) {
            return plain(line);
        }
        return loginUser == null ? loginUser(line) : loginPassword(line);
    }

    private Step plain(String b64) {
        // "=" is RFC 4954's empty initial response.
        byte[] raw = decode("=".equals(b64) ? "" : b64);
        if (raw == null) {
            return new Failed(BAD_BASE64);
        }
        try {
            int first = indexOf(raw, 0);
            int second = first < 0 ? -1 : indexOf(raw, first + 1);
            if (first < 0 || second < 0 || indexOf(raw, second + 1) >= 0) {
                return new Failed(MALFORMED);
            }
            String authzid = utf8(raw, 0, first);
            String authcid = utf8(raw, first + 1, second);
            char[] password = utf8Chars(raw, second + 1, raw.length);
            if (authzid == null || authcid == null || password == null || authcid.isEmpty()
                    || !authzid.isEmpty() && !authzid.equals(authcid)) {
                // No acting as someone else: the authorisation identity must be the user's own.
                return new Failed(MALFORMED);
            }
            return new Credentials(authcid, password);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private Step loginUser(String b64) {
        byte[] raw = decode(b64);
        String user = raw == null ? null : utf8(raw, 0, raw.length);
        if (user == null || user.isEmpty()) {
            return new Failed(raw == null ? BAD_BASE64 : MALFORMED);
        }
        loginUser = user;
        return new Challenge(PASSWORD);
    }

    private Step loginPassword(String b64) {
        byte[] raw = decode(b64);
        if (raw == null) {
            return new Failed(BAD_BASE64);
        }
        try {
            char[] password = utf8Chars(raw, 0, raw.length);
            return password == null ? new Failed(MALFORMED) : new Credentials(loginUser, password);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int indexOf(byte[] a, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] a, int from, int to) {
        char[] c = utf8Chars(a, from, to);
        return c == null ? null : new String(c);
    }

    private static char[] utf8Chars(byte[] a, int from, int to) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(a, from, to - from));
            char[] out = new char[cb.remaining()];
            cb.get(out);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return out;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
