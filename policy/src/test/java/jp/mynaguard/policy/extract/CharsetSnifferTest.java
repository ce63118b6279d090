package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The plain-ASCII shortcuts of {@link CharsetSniffer} and {@link TextDecoding} decide as the full checks do. */
class CharsetSnifferTest {
    /** Every byte {@link CharsetSniffer#plainAscii} lets through, twice over. */
    private static byte[] allPlainBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int round = 0; round < 2; round++) {
            for (int c = 1; c < 0x80; c++) {
                if (c != 0x0e && c != 0x0f && c != 0x1b) {
                    out.write(c);
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    void asciiSupersetsReadPlainBytesAsAsciiWithoutErrors() throws CharacterCodingException {
        byte[] plain = allPlainBytes();
        assertTrue(CharsetSniffer.plainAscii(plain, plain.length));
        for (Charset cs : CharsetSniffer.ASCII_SUPERSETS) {
            String text = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(plain)).toString();
            assertEquals(new String(plain, StandardCharsets.ISO_8859_1), text, cs.name());
            assertEquals(0, CharsetSniffer.errors(cs, plain, plain.length), cs.name());
            // What the full check would conclude, so the shortcut in TextDecoding.choose changes nothing.
            assertEquals(cs, TextDecoding.choose(plain, plain.length, cs).charset());
        }
    }

    @Test
    void nulEscapeShiftAndEightBitBytesAreNotPlain() {
        for (int c : new int[] {0x00, 0x0e, 0x0f, 0x1b, 0x80, 0xa4, 0xff}) {
            byte[] b = {'a', (byte) c, 'b'};
            assertFalse(CharsetSniffer.plainAscii(b, b.length), Integer.toHexString(c));
        }
    }

    /** The eight-bytes-at-a-time test agrees with a byte loop, wherever the odd byte sits. */
    @Test
    void plainAsciiAgreesWithAByteLoop() {
        Random random = new Random(5);
        for (int n = 0; n < 20000; n++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (' ' + random.nextInt(90));
            }
            if (b.length > 0 && random.nextBoolean()) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            boolean expected = true;
            for (byte x : b) {
                expected &= x > 0 && x != 0x1b && x != 0x0e && x != 0x0f;
            }
            assertEquals(expected, CharsetSniffer.plainAscii(b, b.length));
        }
    }

    /** guess() is guessByContent() for random samples, plain ones and ones with every kind of byte the checks look at. */
    @Test
    void guessAgreesWithTheFullChecks() {
        Random random = new Random(3);
        byte[][] pieces = {ascii("Subject: 12 34\r\n"), ascii("plain text "), {0}, {0x1b, '$', 'B'}, {0x1b, '(', 'B'},
            "個人番号".getBytes(MimeCharsets.WINDOWS_31J), "個人番号".getBytes(MimeCharsets.EUC_JP),
            "個人番号".getBytes(StandardCharsets.UTF_8), "ab".getBytes(StandardCharsets.UTF_16LE), {(byte) 0xa4}};
        for (int n = 0; n < 3000; n++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int count = random.nextInt(12);
            boolean plainOnly = random.nextBoolean();
            for (int k = 0; k < count; k++) {
                out.writeBytes(pieces[plainOnly ? random.nextInt(2) : random.nextInt(pieces.length)]);
            }
            byte[] b = out.toByteArray();
            assertEquals(CharsetSniffer.guessByContent(b, b.length), CharsetSniffer.guess(b, b.length));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
