package jp.mynaguard.policy.extract;

/** Registers the extractors of mail, HTTP and text formats (MIME, HTML, TXT, CSV, TSV, JSON, XML, binary). */
final class TextFormats {
    private TextFormats() {
    }

    static void register(FormatRegistry.Builder b) {
        // filled as the text extractors land
    }
}
