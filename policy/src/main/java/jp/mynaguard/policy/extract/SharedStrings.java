package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The shared string table of a workbook ({@code xl/sharedStrings.xml}), kept compactly as one
 * char buffer plus end offsets (a list of String objects would cost ~50 bytes per string on
 * top of the text). Bounded: past {@link #MAX_CHARS} or {@link #MAX_STRINGS} the workbook is
 * {@code too-large}.
 */
final class SharedStrings {
    static final int MAX_CHARS = 32 * 1024 * 1024;
    static final int MAX_STRINGS = 8 * 1024 * 1024;

    static final SharedStrings NONE = new SharedStrings(new StringBuilder(), new int[0], 0);

    private final StringBuilder chars;
    private final int[] ends;
    private final int count;

    private SharedStrings(StringBuilder chars, int[] ends, int count) {
        this.chars = chars;
        this.ends = ends;
        this.count = count;
    }

    static SharedStrings read(InputStream in, String partName) throws IOException {
        StringBuilder chars = new StringBuilder();
        int[] ends = new int[256];
        int n = 0;
        try {
            XMLStreamReader r = Xml.reader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && "si".equals(r.getLocalName())) {
                    readRichText(r, chars);
                    if (chars.length() > MAX_CHARS || n >= MAX_STRINGS) {
                        throw new LimitExceededException(UnscannableReason.TOO_LARGE,
                                "shared string table larger than " + MAX_CHARS + " chars");
                    }
                    if (n == ends.length) {
                        ends = Arrays.copyOf(ends, n * 2);
                    }
                    ends[n++] = chars.length();
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            throw OoxmlParts.broken(partName);
        }
        return new SharedStrings(chars, ends, n);
    }

    /** The string at a 0-based index; empty for an index out of range. */
    String get(int index) {
        if (index < 0 || index >= count) {
            return "";
        }
        return chars.substring(index == 0 ? 0 : ends[index - 1], ends[index]);
    }

    int size() {
        return count;
    }

    /**
     * Appends the text of the rich text element the reader is on ({@code si}, {@code is}): every
     * {@code t}, runs joined, phonetic guides ({@code rPh}, furigana) left out as Excel shows
     * them. Leaves the reader on the element's end tag.
     */
    static void readRichText(XMLStreamReader r, StringBuilder out) throws XMLStreamException {
        int depth = 1;
        boolean inText = false;
        while (depth > 0 && r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                if ("rPh".equals(name) || "rPr".equals(name) || "phoneticPr".equals(name)) {
                    Xml.skipElement(r);
                } else {
                    depth++;
                    inText = "t".equals(name);
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
                inText = false;
            } else if (inText && (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA
                    || ev == XMLStreamConstants.SPACE)) {
                out.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
            }
        }
    }
}
