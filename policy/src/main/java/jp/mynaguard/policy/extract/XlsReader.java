package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.hssf.record.BOFRecord;
import org.apache.poi.hssf.record.BoolErrRecord;
import org.apache.poi.hssf.record.BoundSheetRecord;
import org.apache.poi.hssf.record.CellValueRecordInterface;
import org.apache.poi.hssf.record.EOFRecord;
import org.apache.poi.hssf.record.ExtendedFormatRecord;
import org.apache.poi.hssf.record.FormatRecord;
import org.apache.poi.hssf.record.FormulaRecord;
import org.apache.poi.hssf.record.LabelRecord;
import org.apache.poi.hssf.record.LabelSSTRecord;
import org.apache.poi.hssf.record.NumberRecord;
import org.apache.poi.hssf.record.Record;
import org.apache.poi.hssf.record.RecordFactoryInputStream;
import org.apache.poi.hssf.record.SSTRecord;
import org.apache.poi.hssf.record.StringRecord;
import org.apache.poi.ss.usermodel.CellType;

/**
 * A legacy Excel workbook (BIFF8 {@code Workbook} stream) read record by record with POI's
 * pull-style {@link RecordFactoryInputStream}, never as a whole {@code HSSFWorkbook}: each sheet
 * becomes one table segment laid out like an xlsx sheet ({@link SheetRows}), at
 * {@code <location>/<sheet name>}. A workbook with an open password throws POI's
 * {@code EncryptedDocumentException}, which the caller reports as {@code encrypted}.
 */
final class XlsReader {
    private static final int WORKSHEET = BOFRecord.TYPE_WORKSHEET;

    private final ExtractionContext ctx;
    private final String location;
    private final RecordFactoryInputStream records;
    private final List<BoundSheetRecord> boundSheets = new ArrayList<>();
    private final Map<Integer, String> formatCodes = new HashMap<>();
    private int[] xfFormats = new int[64];
    private int xfCount;
    private SSTRecord sst;
    private CellFormats formats = CellFormats.NONE;

    XlsReader(ExtractionContext ctx, String location, InputStream workbookStream) {
        this.ctx = ctx;
        this.location = location;
        this.records = new RecordFactoryInputStream(workbookStream, false);
    }

    void read() throws IOException {
        readGlobals();
        BoundSheetRecord[] sheets = BoundSheetRecord.orderByBofPosition(boundSheets);
        int sheetIndex = 0;
        Record r;
        while ((r = records.nextRecord()) != null) {
            if (r instanceof BOFRecord bof) {
                String name = sheetIndex < sheets.length ? sheets[sheetIndex].getSheetname() : "Sheet" + (sheetIndex + 1);
                sheetIndex++;
                if (bof.getType() == WORKSHEET) {
                    SheetRows rows = new SheetRows(ExtractionContext.join(location, name));
                    rows.emit(ctx, new SheetText(rows));
                } else {
                    skipSubstream();
                }
            }
        }
    }

    /** The workbook globals up to their EOF: sheet names, shared strings, number formats. */
    private void readGlobals() throws IOException {
        Record r;
        int depth = 0;
        while ((r = records.nextRecord()) != null) {
            if (r instanceof BOFRecord) {
                depth++;
            } else if (r instanceof EOFRecord) {
                if (--depth <= 0) {
                    break;
                }
            } else if (r instanceof BoundSheetRecord b) {
                boundSheets.add(b);
            } else if (r instanceof SSTRecord s) {
                sst = s;
            } else if (r instanceof FormatRecord f) {
                formatCodes.put(f.getIndexCode(), f.getFormatString());
            } else if (r instanceof ExtendedFormatRecord xf) {
                if (xfCount == xfFormats.length) {
                    xfFormats = Arrays.copyOf(xfFormats, xfCount * 2);
                }
                xfFormats[xfCount++] = xf.getFormatIndex();
            }
            ctx.checkDeadline();
        }
        formats = CellFormats.of(Arrays.copyOf(xfFormats, xfCount), formatCodes);
    }

    /** Skips a chart or macro sheet substream, nested BOF/EOF pairs included. */
    private void skipSubstream() {
        int depth = 1;
        Record r;
        while (depth > 0 && (r = records.nextRecord()) != null) {
            if (r instanceof BOFRecord) {
                depth++;
            } else if (r instanceof EOFRecord) {
                depth--;
            }
        }
    }

    /** One worksheet substream's cells as TAB-separated rows, produced as the records are read. */
    private final class SheetText extends PullingReader {
        private final SheetRows rows;
        private int depth = 1;
        private int currentRow = -1;
        /** A formula with a string result is followed by a STRING record holding it. */
        private CellValueRecordInterface pendingFormula;

        SheetText(SheetRows rows) {
            this.rows = rows;
        }

        @Override
        protected boolean produce() throws IOException {
            ctx.checkDeadline();
            while (out.length() < BATCH_CHARS) {
                Record r = records.nextRecord();
                if (r == null) {
                    return false;
                }
                if (r instanceof BOFRecord) {
                    depth++;
                } else if (r instanceof EOFRecord) {
                    if (--depth == 0) {
                        return false;
                    }
                } else if (depth == 1) {
                    cell(r);
                }
            }
            return true;
        }

        private void cell(Record r) {
            if (r instanceof StringRecord s && pendingFormula != null) {
                put(pendingFormula, s.getString(), false);
                pendingFormula = null;
                return;
            }
            pendingFormula = null;
            if (r instanceof NumberRecord n) {
                number(n, n.getValue());
            } else if (r instanceof LabelSSTRecord l) {
                if (sst != null && l.getSSTIndex() >= 0 && l.getSSTIndex() < sst.getNumUniqueStrings()) {
                    put(l, sst.getString(l.getSSTIndex()).getString(), false);
                }
            } else if (r instanceof LabelRecord l) {
                put(l, l.getValue(), false);
            } else if (r instanceof FormulaRecord f) {
                // Cached result of the formula, as Excel shows it without recalculating.
                if (f.hasCachedResultString()) {
                    pendingFormula = f;
                } else if (f.getCachedResultTypeEnum() == CellType.NUMERIC) {
                    number(f, f.getValue());
                } else if (f.getCachedResultTypeEnum() == CellType.BOOLEAN) {
                    put(f, f.getCachedBooleanValue() ? "TRUE" : "FALSE", false);
                }
            } else if (r instanceof BoolErrRecord b && b.isBoolean()) {
                put(b, b.getBooleanValue() ? "TRUE" : "FALSE", false);
            }
        }

        private void number(CellValueRecordInterface cell, double value) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return;
            }
            // Double.toString is the shortest exact decimal of the double: integral values below
            // 2^53 (every 12/13-digit number) come out digit for digit.
            NumberText.Rendered rendered = NumberText.render(BigDecimal.valueOf(value), formats.code(cell.getXFIndex()));
            put(cell, rendered.text(), rendered.padded());
        }

        private void put(CellValueRecordInterface cell, String text, boolean padded) {
            if (text == null || text.isEmpty()) {
                return;
            }
            if (cell.getRow() != currentRow || !rows.inRow()) {
                currentRow = cell.getRow();
                rows.beginRow(out, currentRow + 1);
            }
            rows.cell(out, outStart(), cell.getColumn(), text, padded);
        }
    }
}
