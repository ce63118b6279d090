package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * Running text of an Office or ODF XML part, pulled element by element: each paragraph is a
 * line and the runs inside it are joined without separators, so a number split over several
 * runs ({@code <w:t>2854</w:t><w:t>2699</w:t>}) comes out whole. Table cells of a row are
 * TAB-joined on one line. Elements are matched by local name: Transitional and Strict OOXML
 * differ only in namespace.
 */
final class MarkupText extends XmlPullingReader {
    /**
     * How one vocabulary marks text up.
     *
     * @param paragraphs      elements that end a line
     * @param texts           elements whose character data is text; empty: all character data
     *                        inside a paragraph is (ODF's mixed content)
     * @param symbols         empty elements standing for a character ({@code w:tab} → TAB)
     * @param spaces          ODF {@code text:s}: {@code c} spaces
     * @param rows            table rows
     * @param cells           table cells
     * @param skipped         subtrees without visible text (e.g. {@code mc:Fallback}, a copy of
     *                        {@code mc:Choice})
     * @param skipProperties  whether elements named {@code *Pr} (run/paragraph properties,
     *                        where {@code w:tab} is a tab stop, not a tab) are skipped
     */
    record Dialect(Set<String> paragraphs, Set<String> texts, Map<String, String> symbols, Set<String> spaces,
            Set<String> rows, Set<String> cells, Set<String> skipped, boolean skipProperties) {
    }

    /** WordprocessingML: document, headers, footers, footnotes, endnotes, comments. */
    static final Dialect WORD = new Dialect(Set.of("p"), Set.of("t", "delText"),
            Map.of("tab", "\t", "ptab", "\t", "br", "\n", "cr", "\n", "noBreakHyphen", "-"), Set.of(),
            Set.of("tr"), Set.of("tc"), Set.of("Fallback"), true);

    /** DrawingML text: slides, notes, shapes in workbooks. */
    static final Dialect DRAWING = new Dialect(Set.of("p"), Set.of("t"), Map.of("br", "\n"), Set.of(),
            Set.of("tr"), Set.of("tc"), Set.of("Fallback"), true);

    /** SpreadsheetML comments: one comment per line. */
    static final Dialect SHEET_COMMENTS = new Dialect(Set.of("comment"), Set.of("t"), Map.of(), Set.of(),
            Set.of(), Set.of(), Set.of("rPh", "authors"), true);

    /** PresentationML comments. */
    static final Dialect SLIDE_COMMENTS = new Dialect(Set.of("cm"), Set.of("text"), Map.of(), Set.of(),
            Set.of(), Set.of(), Set.of(), false);

    /** OpenDocument text, spreadsheet and presentation content. */
    static final Dialect ODF = new Dialect(Set.of("p", "h"), Set.of(),
            Map.of("tab", "\t", "line-break", "\n", "soft-page-break", ""), Set.of("s"),
            Set.of("table-row"), Set.of("table-cell", "covered-table-cell"), Set.of(),
            false);

    private static final int MAX_SPACES = 64;

    private final Dialect d;
    private int paragraphDepth;
    private int textDepth;
    private int cellDepth;
    private int cellsInRow;
    /** A paragraph ended inside a table cell: a space goes before more text of that cell. */
    private boolean pendingSpace;

    MarkupText(ExtractionContext ctx, InputStream in, String partName, Dialect dialect) throws IOException {
        super(ctx, in, partName);
        this.d = dialect;
    }

    @Override
    protected void onEvent(int event) throws XMLStreamException {
        switch (event) {
            case XMLStreamConstants.START_ELEMENT -> start(r.getLocalName());
            case XMLStreamConstants.END_ELEMENT -> end(r.getLocalName());
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                if (textDepth > 0 || (d.texts().isEmpty() && paragraphDepth > 0)) {
                    appendText(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                }
            }
            default -> {
            }
        }
    }

    private void start(String name) throws XMLStreamException {
        if (d.skipped().contains(name) || (d.skipProperties() && name.endsWith("Pr"))) {
            Xml.skipElement(r);
            return;
        }
        if (d.paragraphs().contains(name)) {
            paragraphDepth++;
        } else if (d.texts().contains(name)) {
            textDepth++;
        } else if (d.cells().contains(name)) {
            pendingSpace = false;
            cellDepth++;
            if (cellDepth == 1) {
                if (cellsInRow++ > 0) {
                    out.append('\t');
                }
            } else {
                out.append(' ');
            }
        } else if (d.rows().contains(name)) {
            if (cellDepth == 0) {
                cellsInRow = 0;
            }
        } else if (d.spaces().contains(name)) {
            int n = 1;
            String c = Xml.attr(r, "c");
            if (c != null) {
                try {
                    n = Math.max(1, Math.min(MAX_SPACES, Integer.parseInt(c.trim())));
                } catch (NumberFormatException e) {
                    n = 1;
                }
            }
            flushSpace();
            out.append(" ".repeat(n));
        } else {
            String symbol = d.symbols().get(name);
            if (symbol != null) {
                flushSpace();
                // Inside a table cell a TAB or a line break would break the row apart.
                out.append(cellDepth > 0 && !symbol.isEmpty() && symbol.charAt(0) <= ' ' ? " " : symbol);
            }
        }
    }

    private void end(String name) {
        if (d.paragraphs().contains(name)) {
            paragraphDepth = Math.max(0, paragraphDepth - 1);
            if (cellDepth > 0) {
                pendingSpace = true;
            } else {
                out.append('\n');
            }
        } else if (d.texts().contains(name)) {
            textDepth = Math.max(0, textDepth - 1);
        } else if (d.cells().contains(name)) {
            cellDepth = Math.max(0, cellDepth - 1);
            pendingSpace = cellDepth > 0;
        } else if (d.rows().contains(name)) {
            if (cellDepth > 0) {
                pendingSpace = true;
            } else {
                out.append('\n');
            }
        }
    }

    private void flushSpace() {
        if (pendingSpace) {
            out.append(' ');
            pendingSpace = false;
        }
    }

    private void appendText(char[] chars, int start, int len) {
        flushSpace();
        if (cellDepth == 0) {
            out.append(chars, start, len);
            return;
        }
        for (int i = start; i < start + len; i++) {
            char ch = chars[i];
            out.append(ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch);
        }
    }
}
