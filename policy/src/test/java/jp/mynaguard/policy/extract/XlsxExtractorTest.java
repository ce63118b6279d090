package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import jp.mynaguard.policy.detect.TextSegment;

class XlsxExtractorTest {
    /** 12 digits with a leading zero: stored as an 11-digit number by Excel. */
    private static final String LEADING_ZERO = DocTestSupport.myNumber("05369606157");
    private static final String N1 = DocTestSupport.myNumber("12345678901");
    private static final String N2 = DocTestSupport.myNumber("48870956888");

    private static final String NS = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
            + " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

    /** A hand-written workbook with one sheet named 名簿, so the XML of the cells is exactly as given. */
    static byte[] handWritten(String sheetData, String sharedStrings, String styles) throws IOException {
        String rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
        String wbRels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"" + rel + "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"" + rel + "sharedStrings\" Target=\"sharedStrings.xml\"/>"
                + "<Relationship Id=\"rId3\" Type=\"" + rel + "styles\" Target=\"/xl/styles.xml\"/></Relationships>";
        return ZipExtractorTest.zip(
                "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
                "_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"" + rel + "officeDocument\" Target=\"xl/workbook.xml\"/>"
                        + "</Relationships>",
                "xl/workbook.xml", "<workbook " + NS + "><sheets><sheet name=\"名簿\" sheetId=\"1\" r:id=\"rId1\"/>"
                        + "</sheets></workbook>",
                "xl/_rels/workbook.xml.rels", wbRels,
                "xl/sharedStrings.xml", "<sst " + NS + ">" + sharedStrings + "</sst>",
                "xl/styles.xml", "<styleSheet " + NS + ">" + styles + "</styleSheet>",
                "xl/worksheets/sheet1.xml", "<worksheet " + NS + "><sheetData>" + sheetData + "</sheetData></worksheet>");
    }

    private static final String STYLES = "<numFmts><numFmt numFmtId=\"164\" formatCode=\"000000000000\"/>"
            + "<numFmt numFmtId=\"165\" formatCode=\"0000-0000-0000\"/></numFmts>"
            + "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"1\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
            + "<xf numFmtId=\"11\"/></cellXfs>";

    private static TextSegment only(RecordingSink sink) {
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(1, sink.segments.size(), () -> sink.locations().toString());
        return sink.segments.get(0);
    }

    @Test
    void sheetIsOneTableWithCellLocations() throws IOException {
        String sheet = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
                + "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>山田</t></is></c><c r=\"C7\"><v>" + N1 + "</v></c></row>";
        byte[] xlsx = handWritten(sheet, "<si><t>氏名</t></si><si><r><t>個人</t></r><r><t>番号</t></r></si>", STYLES);
        TextSegment seg = only(DocTestSupport.extract("m.xlsx", xlsx));
        assertEquals("m.xlsx/名簿", seg.location());
        assertEquals("氏名\t\t個人番号\n山田\t\t" + N1, seg.text().toString());
        assertEquals('\t', seg.table().delimiter());
        assertNull(seg.table().header());
        assertEquals("m.xlsx/名簿!C7", seg.locate(1, 2));
        assertEquals("m.xlsx/名簿!A1", seg.locate(0, 0));
        assertEquals(0, seg.paddedNumericCells().length);
    }

    @Test
    void scientificNotationIsConvertedExactly() throws IOException {
        String sheet = "<row r=\"1\"><c r=\"A1\"><v>1.23456789018E11</v></c><c r=\"B1\"><v>4.4870956888500E+11</v></c>"
                + "<c r=\"C1\"><v>0.5</v></c><c r=\"D1\"><v>1E999999999</v></c></row>";
        TextSegment seg = only(DocTestSupport.extract("m.xlsx", handWritten(sheet, "", STYLES)));
        assertEquals("123456789018\t448709568885\t0.5\t1E999999999", seg.text().toString());
    }

    @Test
    void elevenDigitNumberIsPaddedAndRecorded() throws IOException {
        String eleven = LEADING_ZERO.substring(1);
        String sheet = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                + "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>" + eleven + "</v></c><c r=\"B2\"><v>" + eleven + ".0</v></c></row>";
        TextSegment seg = only(DocTestSupport.extract("m.xlsx", handWritten(sheet, "<si><t>マイナンバー</t></si>", STYLES)));
        String text = seg.text().toString();
        assertEquals("マイナンバー\n" + LEADING_ZERO + "\t" + LEADING_ZERO, text);
        int[] padded = seg.paddedNumericCells();
        int first = text.indexOf(LEADING_ZERO);
        int second = text.lastIndexOf(LEADING_ZERO);
        assertArrayEquals(new int[] {first, first + 12, second, second + 12}, padded);
    }

    @Test
    void digitPatternFormatsAreShownAsDisplayed() throws IOException {
        String eleven = LEADING_ZERO.substring(1);
        String sheet = "<row r=\"1\"><c r=\"A1\" s=\"2\"><v>" + eleven + "</v></c><c r=\"B1\" s=\"3\"><v>" + N1
                + "</v></c><c r=\"C1\" s=\"4\"><v>" + N2 + "</v></c><c r=\"D1\" s=\"2\"><v>-5</v></c></row>";
        TextSegment seg = only(DocTestSupport.extract("m.xlsx", handWritten(sheet, "", STYLES)));
        String grouped = N1.substring(0, 4) + "-" + N1.substring(4, 8) + "-" + N1.substring(8);
        // 000000000000 shows the zero: what the reader sees, so it is not "padded" by us.
        // 0.00E+00 (id 11) is scientific: the exact digits are written instead.
        assertEquals(LEADING_ZERO + "\t" + grouped + "\t" + N2 + "\t-5", seg.text().toString());
        assertEquals(0, seg.paddedNumericCells().length);
    }

    @Test
    void formulaCellsUseTheCachedValueAndOtherTypesTheirText() throws IOException {
        String sheet = "<row r=\"1\"><c r=\"A1\"><f>B1*1</f><v>" + N1 + "</v></c><c r=\"B1\" t=\"str\"><f>T(C1)</f>"
                + "<v>text result</v></c><c r=\"C1\" t=\"b\"><v>1</v></c><c r=\"D1\" t=\"e\"><v>#N/A</v></c>"
                + "<c r=\"E1\" t=\"s\"><v>0</v></c></row>";
        String sst = "<si><t>ヤマダ</t><rPh sb=\"0\" eb=\"2\"><t>ヤマダ</t></rPh><phoneticPr fontId=\"1\"/></si>";
        TextSegment seg = only(DocTestSupport.extract("m.xlsx", handWritten(sheet, sst, STYLES)));
        assertEquals(N1 + "\ttext result\tTRUE\t#N/A\tヤマダ", seg.text().toString());
    }

    @Test
    void cellTextWithTabsAndLineBreaksKeepsTheRowTogether() throws IOException {
        String sheet = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\tb\nc</t></is></c><c r=\"B1\"><v>1</v></c></row>";
        TextSegment seg = only(DocTestSupport.extract("m.xlsx", handWritten(sheet, "", STYLES)));
        assertEquals("a b c\t1", seg.text().toString());
    }

    @Test
    void poiWorkbookWithSeveralSheetsAndNumericCells() throws IOException {
        byte[] xlsx = write(new XSSFWorkbook());
        RecordingSink sink = DocTestSupport.extract("w.xlsx", xlsx);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("w.xlsx/従業員", "w.xlsx/Second"), sink.locations());
        TextSegment first = sink.segments.get(0);
        assertEquals("氏名\tマイナンバー\n山田\t" + LEADING_ZERO + "\n\t" + N1, first.text().toString());
        assertEquals(2, first.paddedNumericCells().length);
        assertEquals("w.xlsx/従業員!B3", first.locate(2, 1));
        assertNotEquals(first.table().id(), sink.segments.get(1).table().id());
    }

    @Test
    void legacyXlsIsReadLikeXlsx() throws IOException {
        byte[] xls = write(new HSSFWorkbook());
        RecordingSink sink = DocTestSupport.extract("w.xls", xls);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("w.xls/従業員", "w.xls/Second"), sink.locations());
        TextSegment first = sink.segments.get(0);
        assertEquals("氏名\tマイナンバー\n山田\t" + LEADING_ZERO + "\n\t" + N1, first.text().toString());
        assertEquals(2, first.paddedNumericCells().length);
        assertEquals("w.xls/従業員!B3", first.locate(2, 1));
        assertTrue(first.table() != null);
        assertTrue(sink.textAt("w.xls/Second").contains("0000-0000-0000 shown\t" + N2.substring(0, 4) + "-"),
                () -> sink.textAt("w.xls/Second"));
    }

    @Test
    void encryptedXlsIsEncrypted() throws IOException {
        byte[] xls;
        org.apache.poi.hssf.record.crypto.Biff8EncryptionKey.setCurrentUserPassword("secret");
        try {
            xls = write(new HSSFWorkbook());
        } finally {
            org.apache.poi.hssf.record.crypto.Biff8EncryptionKey.setCurrentUserPassword(null);
        }
        RecordingSink sink = DocTestSupport.extract("w.xls", xls);
        assertEquals(List.of(new Unscannable("w.xls", UnscannableReason.ENCRYPTED, "password-protected Office document")),
                sink.unscannables);
        assertFalse(sink.allText().contains(N1));
    }

    /** Two sheets: a roster with an 11-digit and a 12-digit numeric cell (sparse), and one with a formatted number. */
    private static byte[] write(Workbook wb) throws IOException {
        try (wb) {
            Sheet s = wb.createSheet("従業員");
            Row h = s.createRow(0);
            h.createCell(0).setCellValue("氏名");
            h.createCell(1).setCellValue("マイナンバー");
            Row r = s.createRow(1);
            r.createCell(0).setCellValue("山田");
            r.createCell(1).setCellValue(Double.parseDouble(LEADING_ZERO));
            s.createRow(2).createCell(1).setCellValue(Double.parseDouble(N1));
            Sheet t = wb.createSheet("Second");
            CellStyle grouped = wb.createCellStyle();
            grouped.setDataFormat(wb.createDataFormat().getFormat("0000-0000-0000"));
            Row tr = t.createRow(0);
            tr.createCell(0).setCellValue("0000-0000-0000 shown");
            Cell c = tr.createCell(1);
            c.setCellValue(Double.parseDouble(N2));
            c.setCellStyle(grouped);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void largeSheetIsChunkedWithTheHeaderCarried() throws IOException {
        StringBuilder sheet = new StringBuilder("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>番号</t></is></c>"
                + "<c r=\"B1\" t=\"inlineStr\"><is><t>氏名</t></is></c></row>");
        String eleven = LEADING_ZERO.substring(1);
        int rows = 3000;
        for (int i = 2; i <= rows; i++) {
            sheet.append("<row r=\"").append(i * 2).append("\"><c r=\"A").append(i * 2).append("\"><v>").append(eleven)
                    .append("</v></c><c r=\"B").append(i * 2).append("\" t=\"inlineStr\"><is><t>name").append(i)
                    .append("</t></is></c></row>");
        }
        Limits limits = Limits.builder().chunkChars(8192).chunkOverlapChars(1024).build();
        RecordingSink sink = DocTestSupport.extract(limits, "big.xlsx", handWritten(sheet.toString(), "", STYLES));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertTrue(sink.segments.size() > 5, "chunks: " + sink.segments.size());
        String tableId = sink.segments.get(0).table().id();
        for (int k = 0; k < sink.segments.size(); k++) {
            TextSegment seg = sink.segments.get(k);
            assertEquals("big.xlsx/名簿", seg.location());
            assertEquals(tableId, seg.table().id());
            assertEquals(k == 0 ? null : "番号\t氏名", seg.table().header());
            String text = seg.text().toString();
            int[] padded = seg.paddedNumericCells();
            assertTrue(padded.length > 0);
            for (int i = 0; i < padded.length; i += 2) {
                assertEquals(LEADING_ZERO, text.substring(padded[i], padded[i + 1]));
            }
            // Every whole row of the chunk is located at its own (sparse) row number.
            String[] lines = text.split("\n", -1);
            for (int l = 1; l < lines.length - 1; l++) {
                String name = lines[l].substring(lines[l].indexOf('\t') + 1);
                if (name.startsWith("name") && seg.firstLine() + l > 0) {
                    int i = Integer.parseInt(name.substring(4));
                    assertEquals("big.xlsx/名簿!B" + (i * 2), seg.locate(seg.firstLine() + l, 1));
                }
            }
        }
        assertTrue(sink.segments.get(sink.segments.size() - 1).text().toString().endsWith("name" + rows));
    }

    @Test
    void brokenSheetIsMalformedAtTheSheet() throws IOException {
        byte[] xlsx = handWritten("<row r=\"1\"><c r=\"A1\"><v>1</v></c>", "", STYLES).clone();
        RecordingSink sink = DocTestSupport.extract("m.xlsx", handWritten("<row><c><v>1</v></row>", "", STYLES));
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());
        assertEquals("m.xlsx/名簿", sink.unscannables.get(0).location());
        assertTrue(xlsx.length > 0);
    }

    @Test
    void numberTextRendering() {
        assertEquals("0123-4567-8901", NumberText.applyDigitPattern("12345678901", "0000-0000-0000"));
        assertEquals("123456789018", NumberText.applyDigitPattern("123456789018", "0"));
        assertEquals("(03) 1234", NumberText.applyDigitPattern("31234", "(00) 0000"));
        assertEquals("No.12", NumberText.applyDigitPattern("12", "\"No.\"0"));
        assertNull(NumberText.applyDigitPattern("12", "General"));
        assertNull(NumberText.applyDigitPattern("12", "#,##0"));
        assertNull(NumberText.applyDigitPattern("12", "0.00E+00"));
        assertNull(NumberText.applyDigitPattern("12", "yyyy/mm/dd"));
        assertEquals(new NumberText.Rendered("012345678901", true),
                NumberText.render(new java.math.BigDecimal("12345678901"), null));
        assertEquals(new NumberText.Rendered("1234567890", false),
                NumberText.render(new java.math.BigDecimal("1234567890"), null));
        assertEquals(new NumberText.Rendered("123456789018", false),
                NumberText.render(new java.math.BigDecimal("1.23456789018E11"), "General"));
    }
}
