package jp.mynaguard.policy.extract;

/** Registers the extractors of Office, PDF and archive formats. */
final class DocumentFormats {
    private DocumentFormats() {
    }

    static void register(FormatRegistry.Builder b) {
        // filled as the document extractors land
    }
}
