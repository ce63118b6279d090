package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * An Excel workbook (SpreadsheetML) read with StAX, one row at a time: each sheet becomes one
 * table segment at {@code <location>/<sheet name>}, with findings located as
 * {@code <location>/<sheet name>!C7}. Comments and text boxes of a sheet follow as running text.
 * Memory holds the shared strings and styles, never a whole sheet.
 */
final class XlsxReader extends PackageReader {
    private static final Pattern SHEET_FILE = Pattern.compile("(?i)xl/worksheets/sheet(\\d+)\\.xml");

    private SharedStrings strings = SharedStrings.NONE;
    private CellFormats formats = CellFormats.NONE;

    XlsxReader(ExtractionContext ctx, String location, ZipPackage pkg) {
        super(ctx, location, pkg);
    }

    private record Sheet(String name, String part) {
    }

    @Override
    void read() throws IOException {
        String workbook = OoxmlParts.mainPart(pkg, "xl/workbook.xml");
        List<OoxmlParts.Rel> rels = OoxmlParts.rels(pkg, workbook);
        OoxmlParts.Rel sst = OoxmlParts.first(rels, "sharedStrings");
        if (sst != null) {
            part(ExtractionContext.join(location, sst.target()), sst.target(),
                    in -> strings = SharedStrings.read(in, sst.target()));
        }
        OoxmlParts.Rel styles = OoxmlParts.first(rels, "styles");
        if (styles != null) {
            part(ExtractionContext.join(location, styles.target()), styles.target(),
                    in -> formats = CellFormats.read(in, styles.target()));
        }
        for (Sheet sheet : sheets(workbook, rels)) {
            String sheetLocation = ExtractionContext.join(location, sheet.name());
            part(sheetLocation, sheet.part(), in -> {
                SheetRows rows = new SheetRows(sheetLocation);
                try (SheetText text = new SheetText(in, sheet.part(), rows)) {
                    rows.emit(ctx, text);
                }
            });
            for (OoxmlParts.Rel rel : OoxmlParts.rels(pkg, sheet.part())) {
                if (rel.external()) {
                    continue;
                }
                if (rel.isType("comments")) {
                    text(ExtractionContext.join(sheetLocation, "comments"), rel.target(), MarkupText.SHEET_COMMENTS);
                } else if (rel.isType("drawing")) {
                    text(ExtractionContext.join(sheetLocation, "drawing"), rel.target(), MarkupText.DRAWING);
                }
            }
        }
    }

    /** Sheets in workbook order with their names; by file name when the workbook does not say. */
    private List<Sheet> sheets(String workbook, List<OoxmlParts.Rel> rels) throws IOException {
        List<Sheet> sheets = new ArrayList<>();
        part(ExtractionContext.join(location, workbook), workbook, in -> {
            try {
                XMLStreamReader r = Xml.reader(in);
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT && "sheet".equals(r.getLocalName())) {
                        OoxmlParts.Rel rel = OoxmlParts.byId(rels, Xml.relId(r));
                        String name = Xml.attr(r, "name");
                        if (rel != null && pkg.entry(rel.target()) != null) {
                            sheets.add(new Sheet(name == null || name.isEmpty() ? PackageReader.baseName(rel.target())
                                    : name, rel.target()));
                        }
                    }
                }
                r.close();
            } catch (XMLStreamException e) {
                throw OoxmlParts.broken(workbook);
            }
        });
        if (sheets.isEmpty()) {
            List<ZipArchiveEntry> files = new ArrayList<>();
            for (ZipArchiveEntry e : pkg.entries()) {
                if (SHEET_FILE.matcher(e.getName()).matches()) {
                    files.add(e);
                }
            }
            files.sort((a, b) -> Long.compare(sheetNumber(a.getName()), sheetNumber(b.getName())));
            for (ZipArchiveEntry e : files) {
                sheets.add(new Sheet(PackageReader.baseName(e.getName()), e.getName()));
            }
        }
        return sheets;
    }

    private static long sheetNumber(String name) {
        Matcher m = SHEET_FILE.matcher(name);
        if (!m.matches() || m.group(1).length() > 9) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(m.group(1));
    }

    /** One sheet's rows as TAB-separated lines, produced as the sheet XML is read. */
    private final class SheetText extends XmlPullingReader {
        private final SheetRows rows;
        private final StringBuilder inline = new StringBuilder();

        SheetText(InputStream in, String partName, SheetRows rows) throws IOException {
            super(XlsxReader.this.ctx, in, partName);
            this.rows = rows;
        }

        @Override
        protected void onEvent(int event) throws XMLStreamException {
            if (event != XMLStreamConstants.START_ELEMENT) {
                return;
            }
            String name = r.getLocalName();
            if ("row".equals(name)) {
                rows.beginRow(out, rowNumber(Xml.attr(r, "r")));
            } else if ("c".equals(name)) {
                cell();
            }
        }

        private int rowNumber(String r) {
            if (r == null) {
                return 0;
            }
            try {
                int n = Integer.parseInt(r.trim());
                return n > 0 ? n : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** Reads one {@code <c>} and appends its displayed value. */
        private void cell() throws XMLStreamException {
            String ref = Xml.attr(r, "r");
            String type = Xml.attr(r, "t");
            String style = Xml.attr(r, "s");
            String value = null;
            inline.setLength(0);
            int depth = 1;
            while (depth > 0 && r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "v" -> value = r.getElementText();
                        case "is" -> SharedStrings.readRichText(r, inline);
                        default -> Xml.skipElement(r); // f (formula: its cached value is in v), extLst
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            String text;
            boolean padded = false;
            switch (type == null ? "n" : type) {
                case "s" -> text = value == null ? "" : sharedString(value);
                case "inlineStr" -> text = inline.toString();
                case "b" -> text = value == null ? "" : "1".equals(value.trim()) ? "TRUE" : "FALSE";
                case "n" -> {
                    BigDecimal number = NumberText.parse(value);
                    if (number == null) {
                        text = value == null ? "" : value;
                    } else {
                        NumberText.Rendered rendered = NumberText.render(number, formats.code(style));
                        text = rendered.text();
                        padded = rendered.padded();
                    }
                }
                default -> text = value == null ? "" : value; // str (formula string), e (error), d (ISO date)
            }
            if (!text.isEmpty()) {
                rows.cell(out, outStart(), SheetRows.columnOf(ref), text, padded);
            }
        }

        private String sharedString(String index) {
            try {
                return strings.get(Integer.parseInt(index.trim()));
            } catch (NumberFormatException e) {
                return "";
            }
        }

    }
}
