package jp.mynaguard.policy.extract;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * Percent-encoded text: the path and query of a request target, and
 * {@code application/x-www-form-urlencoded} bodies. Each field goes out on its own line as
 * {@code name: value}, so a field named {@code 個人番号} or {@code my_number} gives context.
 * Bytes are decoded as the declared charset, else as UTF-8 when valid, else as windows-31j
 * (old Japanese forms post Shift_JIS).
 */
final class UrlEncoded {
    private UrlEncoded() {
    }

    /** Emits the decoded path and the query fields of a request target at {@code location}. */
    static void emitTarget(ExtractionContext ctx, String location, String target) throws IOException {
        String t = target;
        int scheme = t.indexOf("://");
        if (scheme > 0 && scheme < 10) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int hash = t.indexOf('#');
        if (hash >= 0) {
            t = t.substring(0, hash);
        }
        int q = t.indexOf('?');
        String path = q < 0 ? t : t.substring(0, q);
        StringBuilder text = new StringBuilder(decode(percentDecode(path, false), null));
        if (q >= 0) {
            for (String field : t.substring(q + 1).split("&")) {
                if (!field.isEmpty()) {
                    text.append('\n').append(fieldLine(field.getBytes(StandardCharsets.ISO_8859_1), null));
                }
            }
        }
        ctx.emitText(location, text);
    }

    /**
     * Emits a form body; the location of a finding names its field ({@code form:kojin_bango}).
     * Each field counts against the part limit.
     */
    static void emitForm(ExtractionContext ctx, String location, InputStream body, Charset declared)
            throws IOException {
        try (Fields fields = new Fields(ctx, new BufferedInputStream(body), declared, location)) {
            ctx.emitText(ExtractionContext.join(location, "form"), fields, null, fields::locate);
        }
    }

    /** {@code name: value}, or the decoded text alone when there is no {@code =}. */
    static String fieldLine(byte[] field, Charset declared) {
        int eq = -1;
        for (int i = 0; i < field.length; i++) {
            if (field[i] == '=') {
                eq = i;
                break;
            }
        }
        if (eq < 0) {
            return decode(percentDecode(field, true), declared);
        }
        String name = decode(percentDecode(Arrays.copyOf(field, eq), true), declared);
        String value = decode(percentDecode(Arrays.copyOfRange(field, eq + 1, field.length), true), declared);
        return name + ": " + value;
    }

    static byte[] percentDecode(String s, boolean plusIsSpace) {
        return percentDecode(s.getBytes(StandardCharsets.ISO_8859_1), plusIsSpace);
    }

    /** {@code %XX} to a byte (a broken escape stays as it is), {@code +} to a space in forms. */
    static byte[] percentDecode(byte[] b, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (c == '%' && i + 2 < b.length && HeaderText.hex((char) b[i + 1]) >= 0
                    && HeaderText.hex((char) b[i + 2]) >= 0) {
                out.write(HeaderText.hex((char) b[i + 1]) << 4 | HeaderText.hex((char) b[i + 2]));
                i += 2;
            } else {
                out.write(c == '+' && plusIsSpace ? ' ' : c);
            }
        }
        return out.toByteArray();
    }

    /** The declared charset, else UTF-8 when the bytes are valid UTF-8, else windows-31j. */
    static String decode(byte[] b, Charset declared) {
        if (declared != null) {
            return new String(b, declared);
        }
        if (CharsetSniffer.errors(StandardCharsets.UTF_8, b, b.length) == 0 && completeUtf8(b)) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return new String(b, MimeCharsets.WINDOWS_31J);
    }

    /** {@link CharsetSniffer#errors} forgives a sequence cut at the end; a whole field must not be cut. */
    private static boolean completeUtf8(byte[] b) {
        int i = b.length - 1;
        int cont = 0;
        while (i >= 0 && (b[i] & 0xc0) == 0x80 && cont < 4) {
            i--;
            cont++;
        }
        if (i < 0 || (b[i] & 0x80) == 0) {
            return cont == 0;
        }
        int lead = b[i] & 0xff;
        int need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
        return need == cont;
    }

    /** The fields of a form body as lines, with the first line of each field kept for locating. */
    private static final class Fields extends LineReader {
        private final ExtractionContext ctx;
        private final InputStream in;
        private final Charset declared;
        private final String base;
        private final List<String> names = new ArrayList<>();
        private int[] firstLines = new int[16];
        private int line;
        private boolean eof;

        Fields(ExtractionContext ctx, InputStream in, Charset declared, String base) {
            this.ctx = ctx;
            this.in = in;
            this.declared = declared;
            this.base = base;
        }

        @Override
        protected String nextLine() throws IOException {
            while (!eof) {
                ByteArrayOutputStream field = new ByteArrayOutputStream();
                int c;
                while ((c = in.read()) >= 0 && c != '&') {
                    field.write(c);
                }
                eof = c < 0;
                byte[] f = field.toByteArray();
                if (f.length == 0 || f.length == 2 && f[0] == '\r' && f[1] == '\n') {
                    continue;
                }
                ctx.countPart();
                String text = fieldLine(f, declared);
                int colon = text.indexOf(": ");
                record(colon < 0 ? text : text.substring(0, colon));
                line += 1 + (int) text.chars().filter(ch -> ch == '\n').count();
                return text;
            }
            return null;
        }

        private void record(String name) {
            if (names.size() == firstLines.length) {
                firstLines = Arrays.copyOf(firstLines, firstLines.length * 2);
            }
            firstLines[names.size()] = line;
            names.add(name);
        }

        /** {@code form:<field name>} of the field a line belongs to. */
        String locate(int lineNo, int column) {
            int i = Arrays.binarySearch(firstLines, 0, names.size(), lineNo);
            if (i < 0) {
                i = -i - 2;
            }
            return ExtractionContext.join(base, "form:" + (i < 0 ? "" : names.get(i)));
        }
    }
}
