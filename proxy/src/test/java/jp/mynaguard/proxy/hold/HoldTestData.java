package jp.mynaguard.proxy.hold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import jp.mynaguard.policy.extract.InputSource;

/** Synthetic held mail for the store tests (no real personal data anywhere). */
final class HoldTestData {
    /** Must never appear in any file of the store: the content is encrypted. */
    static final String MARKER = "PLAINTEXT-MARKER-7f3a9c";
    /** A synthetic 12-digit run in an address: the plain columns must not keep it. */
    static final String DIGIT_RUN = "123456789012";

    private HoldTestData() {
    }

    static byte[] message(String ref) {
        return ("From: tanaka@example.co.jp\r\nTo: partner@example.com\r\nSubject: 名簿の件 " + ref + "\r\n\r\n"
                + "本文 " + MARKER + "\r\n.dot line\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static HoldRequest request(String ref, byte[] content, Instant receivedAt) {
        return new HoldRequest(ref, HoldKind.APPROVE, "smtp", "tanaka@example.co.jp",
                List.of("partner@example.com", DIGIT_RUN + "@example.net"), "external-my-number", "sha256:policy1",
                "MY_NUMBER HIGH x1 (body)", receivedAt, null, InputSource.of(content));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
