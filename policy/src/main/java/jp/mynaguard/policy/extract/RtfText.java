package jp.mynaguard.policy.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The text of an RTF document, produced as the bytes stream in. Written for Japanese RTF rather
 * than using Swing's {@code RTFEditorKit}, which builds the whole document in memory and ignores
 * {@code \ansicpg932} and font charsets: here {@code \'xx} bytes are decoded with the code page
 * of the current font ({@code \fcharset128} → CP932) or of the document, Unicode escapes ({@code u}N)
 * with their fallbacks ({@code uc}N) skipped, and group nesting is kept on an explicit stack.
 * Font tables, pictures, embedded object data and field instructions are skipped.
 */
final class RtfText extends PullingReader {
    private static final int MAX_DEPTH = 4096;
    private static final Set<String> SKIPPED_DESTINATIONS = Set.of(
            "colortbl", "stylesheet", "info", "pict", "objdata", "fldinst", "themedata", "colorschememapping",
            "datastore", "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl",
            "filetbl", "revtbl", "listtext", "pntext", "bkmkstart", "bkmkend", "template", "userprops",
            "xmlopen", "mmathPr", "wgrffmtfilter", "pgdsctbl", "operator", "author");

    private final ExtractionContext ctx;
    private final InputStream in;
    private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
    private final Map<Integer, Charset> fontCharsets = new HashMap<>();
    private Charset documentCharset = Charset.forName("windows-1252");

    // Group state, saved on '{' and restored on '}'.
    private boolean[] skipStack = new boolean[64];
    private boolean[] fontTableStack = new boolean[64];
    private int[] ucStack = new int[64];
    private int[] fontStack = new int[64];
    private int depth;
    private boolean skip;
    private boolean inFontTable;
    private int uc = 1;
    private int font = -1;
    /** Fallback characters still to drop after a Unicode escape. */
    private int toSkip;
    private int fontTableFont = -1;
    private int pushback = -2;

    RtfText(ExtractionContext ctx, InputStream in) {
        this.ctx = ctx;
        this.in = in;
    }

    @Override
    protected boolean produce() throws IOException {
        ctx.checkDeadline();
        while (out.length() < BATCH_CHARS) {
            int c = nextByte();
            if (c < 0) {
                flushBytes();
                return false;
            }
            switch (c) {
                case '{' -> openGroup();
                case '}' -> closeGroup();
                case '\\' -> control();
                case '\r', '\n' -> {
                    // line ends in RTF source are not text
                }
                default -> character(c);
            }
        }
        return true;
    }

    private void openGroup() throws IOException {
        flushBytes();
        if (depth == MAX_DEPTH) {
            throw new LimitExceededException(UnscannableReason.MALFORMED, "RTF groups nested too deeply");
        }
        if (depth == skipStack.length) {
            int n = depth * 2;
            skipStack = Arrays.copyOf(skipStack, n);
            fontTableStack = Arrays.copyOf(fontTableStack, n);
            ucStack = Arrays.copyOf(ucStack, n);
            fontStack = Arrays.copyOf(fontStack, n);
        }
        skipStack[depth] = skip;
        fontTableStack[depth] = inFontTable;
        ucStack[depth] = uc;
        fontStack[depth] = font;
        depth++;
        toSkip = 0;
    }

    private void closeGroup() {
        flushBytes();
        if (depth == 0) {
            return;
        }
        depth--;
        skip = skipStack[depth];
        inFontTable = fontTableStack[depth];
        uc = ucStack[depth];
        font = fontStack[depth];
        toSkip = 0;
    }

    private void character(int c) {
        if (toSkip > 0) {
            toSkip--;
            return;
        }
        if (skip || inFontTable) {
            return;
        }
        if (c < 0x80) {
            flushBytes();
            out.append((char) c);
        } else {
            pendingBytes.write(c);
        }
    }

    private void control() throws IOException {
        int c = nextByte();
        if (c < 0) {
            return;
        }
        if (isLetter(c)) {
            controlWord(c);
            return;
        }
        switch (c) {
            case '\'' -> {
                int hi = Character.digit(nextByte(), 16);
                int lo = Character.digit(nextByte(), 16);
                if (hi >= 0 && lo >= 0) {
                    if (toSkip > 0) {
                        toSkip--;
                    } else if (!skip && !inFontTable) {
                        pendingBytes.write(hi * 16 + lo);
                    }
                }
            }
            case '*' -> skip = true; // ignorable destination: not understood means not displayed
            case '~' -> text(" ");
            case '_' -> text("-");
            case '\r', '\n' -> text("\n");
            case '\\', '{', '}' -> character(c);
            default -> {
                // \- optional hyphen, \| \: and others: no visible text
            }
        }
    }

    private void controlWord(int first) throws IOException {
        StringBuilder word = new StringBuilder(16);
        word.append((char) first);
        int c;
        while ((c = nextByte()) >= 0 && isLetter(c) && word.length() < 32) {
            word.append((char) c);
        }
        boolean hasParam = false;
        boolean negative = false;
        long param = 0;
        if (c == '-') {
            negative = true;
            c = nextByte();
        }
        while (c >= '0' && c <= '9') {
            hasParam = true;
            param = Math.min(param * 10 + (c - '0'), Integer.MAX_VALUE);
            c = nextByte();
        }
        if (c != ' ' && c >= 0) {
            pushback = c;
        }
        int p = (int) (negative ? -param : param);
        apply(word.toString(), hasParam, p);
    }

    private void apply(String word, boolean hasParam, int p) throws IOException {
        switch (word) {
            case "par", "line", "row", "sect", "page" -> text("\n");
            case "tab", "cell" -> text("\t");
            case "emdash", "endash" -> text("-");
            case "u" -> {
                if (!skip && !inFontTable) {
                    flushBytes();
                    out.append((char) (p < 0 ? p + 65536 : p));
                }
                toSkip = uc;
            }
            case "uc" -> uc = hasParam ? Math.max(0, Math.min(p, 8)) : 1;
            case "ansicpg" -> documentCharset = codePage(p, documentCharset);
            case "fonttbl" -> inFontTable = true;
            case "f" -> {
                if (inFontTable) {
                    fontTableFont = p;
                } else {
                    flushBytes();
                    font = p;
                }
            }
            case "fcharset" -> {
                Charset cs = fontCharset(p);
                if (inFontTable && fontTableFont >= 0 && cs != null) {
                    fontCharsets.put(fontTableFont, cs);
                }
            }
            case "bin" -> {
                // Raw binary data of the given length: never text.
                flushBytes();
                long left = Math.max(0, p);
                while (left > 0) {
                    long n = in.skip(left);
                    if (n <= 0) {
                        if (nextByte() < 0) {
                            break;
                        }
                        n = 1;
                    }
                    left -= n;
                }
            }
            default -> {
                if (SKIPPED_DESTINATIONS.contains(word)) {
                    skip = true;
                }
            }
        }
    }

    private void text(String s) {
        if (toSkip > 0) {
            toSkip--;
            return;
        }
        if (!skip && !inFontTable) {
            flushBytes();
            out.append(s);
        }
    }

    /** Decodes the bytes of {@code \'xx} escapes collected so far with the current font's code page. */
    private void flushBytes() {
        if (pendingBytes.size() == 0) {
            return;
        }
        Charset cs = fontCharsets.getOrDefault(font, documentCharset);
        out.append(new String(pendingBytes.toByteArray(), cs));
        pendingBytes.reset();
    }

    /** RTF {@code \fcharset} values of the CJK code pages; others use the document code page. */
    private static Charset fontCharset(int fcharset) {
        return switch (fcharset) {
            case 128 -> Charset.forName("windows-31j");
            case 129 -> Charset.forName("x-windows-949");
            case 134 -> Charset.forName("GBK");
            case 136 -> Charset.forName("x-windows-950");
            default -> null;
        };
    }

    private static Charset codePage(int cp, Charset fallback) {
        String name = switch (cp) {
            case 932 -> "windows-31j";
            case 936 -> "GBK";
            case 949 -> "x-windows-949";
            case 950 -> "x-windows-950";
            case 65001 -> StandardCharsets.UTF_8.name();
            default -> "windows-" + cp;
        };
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private int nextByte() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        return in.read();
    }
}
