package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.ss.usermodel.BuiltinFormats;

/** Number format code of each cell style of a workbook ({@code xl/styles.xml}: {@code cellXfs} and {@code numFmts}). */
final class CellFormats {
    /** Excel allows 64,000 cell formats; more is not a real workbook. */
    private static final int MAX_STYLES = 65536;

    static final CellFormats NONE = new CellFormats(new int[0], Map.of());

    private final int[] numFmtIds;
    private final Map<Integer, String> custom;

    private CellFormats(int[] numFmtIds, Map<Integer, String> custom) {
        this.numFmtIds = numFmtIds;
        this.custom = custom;
    }

    /** Formats of a legacy workbook: the number format id of each XF record, and its own format codes. */
    static CellFormats of(int[] numFmtIds, Map<Integer, String> custom) {
        return new CellFormats(numFmtIds.clone(), Map.copyOf(custom));
    }

    static CellFormats read(InputStream in, String partName) throws IOException {
        Map<Integer, String> custom = new HashMap<>();
        int[] ids = new int[32];
        int n = 0;
        try {
            XMLStreamReader r = Xml.reader(in);
            boolean inCellXfs = false;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "numFmt" -> {
                            Integer id = parseInt(Xml.attr(r, "numFmtId"));
                            String code = Xml.attr(r, "formatCode");
                            if (id != null && code != null && custom.size() < MAX_STYLES) {
                                custom.put(id, code);
                            }
                        }
                        case "cellXfs" -> inCellXfs = true;
                        case "xf" -> {
                            if (inCellXfs && n < MAX_STYLES) {
                                if (n == ids.length) {
                                    ids = Arrays.copyOf(ids, n * 2);
                                }
                                Integer id = parseInt(Xml.attr(r, "numFmtId"));
                                ids[n++] = id == null ? 0 : id;
                            }
                        }
                        default -> {
                        }
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && "cellXfs".equals(r.getLocalName())) {
                    inCellXfs = false;
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            throw OoxmlParts.broken(partName);
        }
        return new CellFormats(Arrays.copyOf(ids, n), custom);
    }

    private static Integer parseInt(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The format code of a cell's style index ({@code s} attribute); {@code null} for General or unknown. */
    String code(String styleIndex) {
        Integer s = parseInt(styleIndex);
        return s == null ? null : code(s);
    }

    /** The format code of a cell's style (XF) index; {@code null} for General or unknown. */
    String code(int styleIndex) {
        if (styleIndex < 0 || styleIndex >= numFmtIds.length) {
            return null;
        }
        return codeOfFormat(numFmtIds[styleIndex]);
    }

    /** A number format id's code: the workbook's own, else Excel's built-in one. */
    String codeOfFormat(int numFmtId) {
        String c = custom.get(numFmtId);
        if (c != null) {
            return c;
        }
        return numFmtId >= 0 && numFmtId < 0x32 ? BuiltinFormats.getBuiltinFormat(numFmtId) : null;
    }
}
