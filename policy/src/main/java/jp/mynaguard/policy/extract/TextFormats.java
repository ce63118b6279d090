package jp.mynaguard.policy.extract;

/** Registers the extractors of mail, HTTP and text formats (MIME, HTML, TXT, CSV, TSV, JSON, XML, binary). */
final class TextFormats {
    static {
        // Before any jakarta.mail class is loaded by an extractor below.
        MailProperties.ensureApplied();
    }

    private TextFormats() {
    }

    static void register(FormatRegistry.Builder b) {
        b.register(Format.MESSAGE, new MessageExtractor());
        b.register(Format.HTTP_REQUEST, new HttpRequestExtractor());
        b.register(Format.HTML, new HtmlExtractor());
        b.register(Format.TEXT, PlainTextExtractor.text());
        b.register(Format.CSV, PlainTextExtractor.csv());
        b.register(Format.TSV, PlainTextExtractor.tsv());
        b.register(Format.JSON, new JsonExtractor());
        b.register(Format.XML, new XmlExtractor());
        b.register(Format.BINARY, new BinaryStringsExtractor());
    }
}
