package jp.mynaguard.policy.extract;

/** Registers the extractors of Office, PDF and archive formats. */
final class DocumentFormats {
    private DocumentFormats() {
    }

    static void register(FormatRegistry.Builder b) {
        // One extractor for every zip-based format: the package content decides how it is read.
        ZipExtractor zip = new ZipExtractor();
        b.register(Format.ZIP, zip);
        b.register(Format.XLSX, zip);
        b.register(Format.DOCX, zip);
        b.register(Format.PPTX, zip);
        b.register(Format.ODF, zip);
    }
}
