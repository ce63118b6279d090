package jp.mynaguard.policy.extract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes header text: unfolding, RFC 2047 encoded-words and raw 8-bit bytes.
 *
 * <p>Done here rather than with {@code MimeUtility.decodeText} for three reasons: charsets go
 * through {@link MimeCharsets} (so ① in an ISO-2022-JP Subject survives), adjacent encoded-words
 * of one charset are joined as bytes before decoding (Japanese mailers split a multi-byte
 * character across two words), and the decoding is lenient everywhere (encoded-words glued to
 * text, bad base64 padding, unknown charsets), because a Subject that fails to decode is a
 * Subject that is not scanned.
 */
final class HeaderText {
    private static final Pattern ENCODED_WORD =
            Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?]*)\\?=");

    private HeaderText() {
    }

    /** Unfolds, repairs raw 8-bit bytes and decodes encoded-words. */
    static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        return decodeEncodedWords(repair8bit(unfold(raw)));
    }

    /** Removes folding line breaks (RFC 5322 2.2.3); the whitespace after them stays. */
    static String unfold(String s) {
        if (s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return s.replace("\r", "").replace("\n", "");
    }

    /**
     * A header read byte-for-byte as ISO-8859-1 (jakarta.mail does that when a line is not valid
     * UTF-8, and for part headers always) but holding raw UTF-8, Shift_JIS or EUC-JP bytes: decode
     * those bytes properly. Strings that already hold characters above U+00FF are left alone.
     */
    static String repair8bit(String s) {
        if (s.indexOf('\u001b') >= 0 && allBytes(s)) {
            // Raw ISO-2022-JP (7-bit, so no 8-bit bytes), as old Japanese mailers wrote headers.
            return new String(s.getBytes(StandardCharsets.ISO_8859_1), MimeCharsets.ISO_2022_JP);
        }
        boolean high = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                return s;
            }
            if (c >= 0x80) {
                high = true;
            }
        }
        if (!high) {
            return s;
        }
        return TextDecoding.decode(s.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    private static boolean allBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    /** Decodes every encoded-word; whitespace between two encoded-words is dropped (RFC 2047 6.2). */
    static String decodeEncodedWords(String s) {
        if (s.indexOf("=?") < 0) {
            return s;
        }
        Matcher m = ENCODED_WORD.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        String pendingLabel = null;
        int last = 0;
        while (m.find()) {
            String between = s.substring(last, m.start());
            String label = m.group(1).toLowerCase(Locale.ROOT);
            boolean adjacent = pendingLabel != null && between.isBlank();
            if (!adjacent || !label.equals(pendingLabel)) {
                flush(out, pending, pendingLabel);
                if (!adjacent) {
                    out.append(between);
                }
            }
            byte[] bytes = m.group(2).equalsIgnoreCase("B") ? base64(m.group(3)) : qDecode(m.group(3));
            pending.write(bytes, 0, bytes.length);
            pendingLabel = label;
            last = m.end();
        }
        flush(out, pending, pendingLabel);
        out.append(s, last, s.length());
        return out.toString();
    }

    /** Decodes the bytes of a run of encoded-words; an unknown charset is sniffed. */
    private static void flush(StringBuilder out, ByteArrayOutputStream pending, String label) {
        if (pending.size() == 0) {
            return;
        }
        byte[] b = pending.toByteArray();
        pending.reset();
        out.append(TextDecoding.decode(b, MimeCharsets.forLabel(label)));
    }

    /** Lenient base64: characters outside the alphabet are skipped, padding is not required. */
    static byte[] base64(String text) {
        StringBuilder clean = new StringBuilder(text.length() + 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
                clean.append(c);
            } else if (c == '-' || c == '_') {
                clean.append(c == '-' ? '+' : '/');
            }
        }
        if (clean.length() % 4 == 1) {
            clean.setLength(clean.length() - 1);
        }
        while (clean.length() % 4 != 0) {
            clean.append('=');
        }
        try {
            return Base64.getDecoder().decode(clean.toString());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** RFC 2047 "Q": {@code _} is a space, {@code =XX} a byte; a broken escape is kept as text. */
    static byte[] qDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0
                    && hex(text.charAt(i + 2)) >= 0) {
                out.write(hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2)));
                i += 2;
            } else {
                out.write(c > 0xff ? '?' : c);
            }
        }
        return out.toByteArray();
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
