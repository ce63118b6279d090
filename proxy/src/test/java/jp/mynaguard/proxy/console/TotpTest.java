package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6238 (TOTP) with its Appendix B test vectors, RFC 4648 base32, drift, and the replay guard. */
class TotpTest {
    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T={0}")
    @CsvSource({
        "59,          94287082, 46119246, 90693936",
        "1111111109,  07081804, 68084774, 25091201",
        "1111111111,  14050471, 67062674, 99943326",
        "1234567890,  89005924, 91819424, 93441116",
        "2000000000,  69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238AppendixBVectors(long time, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(time));
        assertEquals(sha1, Totp.code(SEED_SHA1, step, "HmacSHA1", 8));
        assertEquals(sha256, Totp.code(SEED_SHA256, step, "HmacSHA256", 8));
        assertEquals(sha512, Totp.code(SEED_SHA512, step, "HmacSHA512", 8));
    }

    @ParameterizedTest
    @CsvSource({"'',''", "f,MY", "fo,MZXQ", "foo,MZXW6", "foob,MZXW6YQ", "fooba,MZXW6YTB", "foobar,MZXW6YTBOI"})
    void rfc4648Base32Vectors(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertEquals(encoded, Base32.encode(bytes));
        assertArrayEquals(bytes, Base32.decode(encoded));
        assertArrayEquals(bytes, Base32.decode(encoded.toLowerCase() + "===="), "lower case and padding as typed");
    }

    @Test
    void base32RefusesOtherCharactersWithoutQuotingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base32.decode("ABC1DEF"));
        assertFalse(e.getMessage().contains("ABC"));
    }

    @Test
    void sixDigitCodesAreAcceptedOneStepEitherSideAndNoFurther() {
        String secret = Base32.encode(SEED_SHA1);
        Instant now = Instant.ofEpochSecond(1111111109);
        long step = Totp.step(now);
        for (int drift = -1; drift <= 1; drift++) {
            String code = Totp.code(SEED_SHA1, step + drift, "HmacSHA1", 6);
            assertEquals(step + drift, Totp.matchingStep(secret, code, now), "drift " + drift);
        }
        assertEquals(-1, Totp.matchingStep(secret, Totp.code(SEED_SHA1, step + 2, "HmacSHA1", 6), now));
        assertEquals(-1, Totp.matchingStep(secret, Totp.code(SEED_SHA1, step - 2, "HmacSHA1", 6), now));
        String code = Totp.code(SEED_SHA1, step, "HmacSHA1", 6);
        assertEquals(step, Totp.matchingStep(secret, code.substring(0, 3) + " " + code.substring(3), now), "a space typed");
        assertEquals(-1, Totp.matchingStep(secret, null, now));
        assertEquals(-1, Totp.matchingStep(secret, "12345", now));
        assertEquals(-1, Totp.matchingStep(secret, "abcdef", now));
    }

    @Test
    void aUsedStepIsNeverAcceptedAgainForTheSameUser() {
        TotpReplayGuard guard = new TotpReplayGuard();
        assertTrue(guard.accept("suzuki", 100));
        assertFalse(guard.accept("suzuki", 100), "the same code twice");
        assertFalse(guard.accept("suzuki", 99), "an older code after a newer one");
        assertTrue(guard.accept("admin", 100), "other users are independent");
        assertTrue(guard.accept("suzuki", 101));
    }

    @Test
    void newSecretsAre160BitsAndTheUriIsWhatAppsRead() {
        String s = Totp.newSecret();
        assertEquals(Totp.SECRET_BYTES, Base32.decode(s).length);
        assertFalse(s.equals(Totp.newSecret()));
        assertEquals("otpauth://totp/Mynaguard:suzuki%40example?secret=" + s
                + "&issuer=Mynaguard&algorithm=SHA1&digits=6&period=30", Totp.enrollmentUri("Mynaguard", "suzuki@example", s));
    }
}
