package jp.mynaguard.policy.extract;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/**
 * Turns bytes of unknown or doubtful charset into text: a declared charset is used when the
 * start of the data decodes cleanly with it, otherwise the {@link CharsetSniffer} decides (a
 * Shift_JIS roster sent as {@code charset=us-ascii} or {@code utf-8} is still read right). A
 * byte order mark always wins and is dropped. Malformed bytes become U+FFFD, never an error.
 */
final class TextDecoding {
    private TextDecoding() {
    }

    /**
     * A streaming reader over {@code in}.
     *
     * @param declared the charset the sender declared, or {@code null}
     */
    static Reader open(InputStream in, Charset declared) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 8192);
        b.mark(CharsetSniffer.SAMPLE_BYTES + 1);
        byte[] head = b.readNBytes(CharsetSniffer.SAMPLE_BYTES);
        b.reset();
        CharsetSniffer.Result r = choose(head, head.length, declared);
        b.skipNBytes(r.bomLength());
        return new InputStreamReader(b, r.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /** Decodes a small byte array (a header value, a form field, a file name). */
    static String decode(byte[] bytes, Charset declared) {
        CharsetSniffer.Result r = choose(bytes, bytes.length, declared);
        return new String(bytes, r.bomLength(), bytes.length - r.bomLength(), r.charset());
    }

    /** The charset for data starting with {@code head}. */
    static CharsetSniffer.Result choose(byte[] head, int len, Charset declared) {
        CharsetSniffer.Result bom = CharsetSniffer.bom(head, len);
        if (bom != null) {
            return bom;
        }
        if (declared != null) {
            if (CharsetSniffer.ASCII_SUPERSETS.contains(declared) && CharsetSniffer.plainAscii(head, len)) {
                // A strict decode would find no error: the declared charset stands.
                return new CharsetSniffer.Result(declared, 0);
            }
            int declaredErrors = CharsetSniffer.errors(declared, head, len);
            if (declaredErrors == 0) {
                return new CharsetSniffer.Result(declared, 0);
            }
            Charset guess = CharsetSniffer.guess(head, len);
            return new CharsetSniffer.Result(
                    CharsetSniffer.errors(guess, head, len) < declaredErrors ? guess : declared, 0);
        }
        return new CharsetSniffer.Result(CharsetSniffer.guess(head, len), 0);
    }
}
