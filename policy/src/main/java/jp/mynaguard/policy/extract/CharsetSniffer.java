package jp.mynaguard.policy.extract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Guesses the charset of Japanese text that does not say (or lies about) its charset: bare
 * files, attachments without a charset parameter, raw 8-bit headers, form fields.
 *
 * <p>Order: byte order mark, then ISO-2022-JP escape sequences, then strict UTF-8, then the
 * better of CP932 and EUC-JP by strict-decode errors and by where kana sit. Only a prefix of the
 * input is looked at ({@link #SAMPLE_BYTES}); a decoder that cannot handle a later byte replaces
 * it, which costs one character, never the digits (ASCII in every candidate).
 */
final class CharsetSniffer {
    /** Bytes looked at; enough for a few hundred lines of a roster. */
    static final int SAMPLE_BYTES = 64 * 1024;

    private CharsetSniffer() {
    }

    /** A charset and the length of the byte order mark to skip (0 when none). */
    record Result(Charset charset, int bomLength) {
    }

    static Result sniff(byte[] b, int len) {
        Result bom = bom(b, len);
        if (bom != null) {
            return bom;
        }
        return new Result(guess(b, len), 0);
    }

    /** A byte order mark at the start, or {@code null}. */
    static Result bom(byte[] b, int len) {
        if (len >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return new Result(StandardCharsets.UTF_8, 3);
        }
        if (len >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return new Result(StandardCharsets.UTF_16BE, 2);
        }
        if (len >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return new Result(StandardCharsets.UTF_16LE, 2);
        }
        return null;
    }

    /** The charset of text without a byte order mark. */
    static Charset guess(byte[] b, int len) {
        if (plainAscii(b, len)) {
            // No zero byte (not UTF-16), no escape (not ISO-2022-JP), no 8-bit byte: the checks
            // below end in UTF-8 too. The usual mail body, decided in one pass instead of three.
            return StandardCharsets.UTF_8;
        }
        return guessByContent(b, len);
    }

    /** {@link #guess} without the shortcut for plain ASCII. */
    static Charset guessByContent(byte[] b, int len) {
        Charset utf16 = utf16WithoutBom(b, len);
        if (utf16 != null) {
            return utf16;
        }
        boolean high = false;
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            if (c == 0x1b && i + 2 < len && isIso2022Escape(b[i + 1], b[i + 2])) {
                return MimeCharsets.ISO_2022_JP;
            }
            if (c >= 0x80) {
                high = true;
            }
        }
        if (!high || errors(StandardCharsets.UTF_8, b, len) == 0) {
            return StandardCharsets.UTF_8;
        }
        int sjisErrors = errors(MimeCharsets.WINDOWS_31J, b, len);
        int eucErrors = errors(MimeCharsets.EUC_JP, b, len);
        if (sjisErrors != eucErrors) {
            return sjisErrors < eucErrors ? MimeCharsets.WINDOWS_31J : MimeCharsets.EUC_JP;
        }
        // Both decode (or fail) alike, as EUC-JP kanji often also read as CP932 half-width kana.
        // Kana decide: hiragana/katakana are lead bytes 0x82/0x83 in CP932, 0xA4/0xA5 in EUC-JP.
        return eucKanaPairs(b, len) > sjisKanaPairs(b, len) ? MimeCharsets.EUC_JP : MimeCharsets.WINDOWS_31J;
    }

    /**
     * Whether {@code b[0, len)} is 7-bit text without NUL, SO, SI or ESC: bytes that every
     * charset in {@link #ASCII_SUPERSETS} decodes as themselves, one character each, whatever
     * came before.
     */
    static boolean plainAscii(byte[] b, int len) {
        int i = 0;
        // Eight bytes at a time: this runs over every text part, and a byte loop with four tests
        // per byte cost more than the decoding it saves.
        for (; i + 8 <= len; i += 8) {
            long v = (long) LONGS.get(b, i);
            if ((v & HIGH_BITS) != 0 || hasZeroByte(v) || hasZeroByte(v ^ (0x1bL * LOW_BITS))
                    || hasZeroByte((v | LOW_BITS) ^ (0x0fL * LOW_BITS))) {
                return false;
            }
        }
        for (; i < len; i++) {
            int c = b[i];
            if (c <= 0 || c == 0x1b || c == 0x0e || c == 0x0f) {
                return false;
            }
        }
        return true;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * Whether one of the eight bytes of {@code v} is zero (exact for 7-bit bytes, which is all
     * that is left after the high-bit test). {@code (v | 0x01…) ^ 0x0f…} has a zero byte exactly
     * where {@code v} has SO (0x0e) or SI (0x0f).
     */
    private static boolean hasZeroByte(long v) {
        return ((v - LOW_BITS) & ~v & HIGH_BITS) != 0;
    }

    /** Charsets that read {@link #plainAscii} bytes as ASCII without a decoding error (CharsetSnifferTest proves it). */
    static final Set<Charset> ASCII_SUPERSETS = Set.of(StandardCharsets.US_ASCII, StandardCharsets.UTF_8,
            StandardCharsets.ISO_8859_1, MimeCharsets.WINDOWS_31J, MimeCharsets.EUC_JP, MimeCharsets.ISO_2022_JP);

    /** ESC $ B, ESC $ @, ESC ( J, ESC ( I, ESC $ ( D: the designations of ISO-2022-JP and its variants. */
    private static boolean isIso2022Escape(byte b1, byte b2) {
        return b1 == '$' && (b2 == 'B' || b2 == '@' || b2 == '(')
                || b1 == '(' && (b2 == 'J' || b2 == 'I');
    }

    /** Text of mostly ASCII written as UTF-16 has a zero in every other byte. */
    private static Charset utf16WithoutBom(byte[] b, int len) {
        int pairs = len / 2;
        if (pairs < 8) {
            return null;
        }
        int evenZero = 0;
        int oddZero = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            if (b[i] == 0) {
                evenZero++;
            }
            if (b[i + 1] == 0) {
                oddZero++;
            }
        }
        if (oddZero * 10 >= pairs * 4 && evenZero * 10 < pairs) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenZero * 10 >= pairs * 4 && oddZero * 10 < pairs) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /**
     * Malformed or unmappable sequences when decoding {@code b} strictly; a sequence cut by the
     * end of the sample is not an error.
     */
    static int errors(Charset cs, byte[] b, int len) {
        CharsetDecoder d = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, 0, len);
        CharBuffer out = CharBuffer.allocate(4096);
        int errors = 0;
        while (true) {
            CoderResult r = d.decode(in, out, false);
            if (r.isError()) {
                errors++;
                in.position(Math.min(in.limit(), in.position() + r.length()));
            } else if (r.isOverflow()) {
                out.clear();
            } else {
                return errors;
            }
        }
    }

    private static int sjisKanaPairs(byte[] b, int len) {
        int n = 0;
        for (int i = 0; i + 1 < len; i++) {
            int c = b[i] & 0xff;
            int t = b[i + 1] & 0xff;
            if ((c == 0x82 && t >= 0x9f && t <= 0xf1) || (c == 0x83 && t >= 0x40 && t <= 0x96)) {
                n++;
                i++;
            } else if (c >= 0x81 && c <= 0xfc && c != 0xa0 && (c < 0xa1 || c > 0xdf)) {
                i++;
            }
        }
        return n;
    }

    private static int eucKanaPairs(byte[] b, int len) {
        int n = 0;
        for (int i = 0; i + 1 < len; i++) {
            int c = b[i] & 0xff;
            int t = b[i + 1] & 0xff;
            if ((c == 0xa4 || c == 0xa5) && t >= 0xa1 && t <= 0xf6) {
                n++;
                i++;
            } else if (c >= 0xa1 && c <= 0xfe || c == 0x8e) {
                i++;
            }
        }
        return n;
    }
}
