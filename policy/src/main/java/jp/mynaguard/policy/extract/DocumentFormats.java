package jp.mynaguard.policy.extract;

/** Registers the extractors of Office, PDF and archive formats. */
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
