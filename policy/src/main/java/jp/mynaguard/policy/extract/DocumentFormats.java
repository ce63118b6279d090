package jp.mynaguard.policy.extract;

/**
 * Registers the extractors of Office, PDF and archive formats. Locations they report, below the
 * location {@code L} of the file itself:
 * <ul>
 * <li>zip, tar entry, gzip content: {@code L/<entry name>} ({@code a.zip/dir/list.csv}, {@code b.csv.gz/b.csv});</li>
 * <li>xlsx/xls sheet: segment {@code L/<sheet name>}, findings {@code L/<sheet name>!C7};
 *     sheet comments and text boxes {@code L/<sheet name>/comments}, {@code .../drawing};</li>
 * <li>docx body {@code L}; headers, footers, notes, comments {@code L/header1}, {@code L/footnotes}...;</li>
 * <li>pptx/ppt slide {@code L/slide N}, notes {@code L/slide N/notes};</li>
 * <li>PDF page {@code L/page N}, form fields {@code L/form}, attachments {@code L/<file name>};</li>
 * <li>ODF and RTF text {@code L}; files embedded in Office documents {@code L/<part name>}.</li>
 * </ul>
 */
final class DocumentFormats {
    private DocumentFormats() {
    }

    static void register(FormatRegistry.Builder b) {
        // One extractor for every zip-based format: the package content decides how it is read.
        Ole2Extractor ole2 = new Ole2Extractor();
        ZipExtractor zip = new ZipExtractor(ole2);
        b.register(Format.ZIP, zip);
        b.register(Format.XLSX, zip);
        b.register(Format.DOCX, zip);
        b.register(Format.PPTX, zip);
        b.register(Format.ODF, zip);
        b.register(Format.GZIP, new GzipExtractor());
        b.register(Format.PDF, new PdfExtractor());
        b.register(Format.OLE2, ole2);
        b.register(Format.XLS, ole2);
        b.register(Format.DOC, ole2);
        b.register(Format.RTF, new RtfExtractor());
    }
}
