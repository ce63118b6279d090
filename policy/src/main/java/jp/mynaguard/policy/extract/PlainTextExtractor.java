package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.Reader;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * TEXT, CSV and TSV files: charset sniffed (Excel writes CP932, or UTF-8 with a BOM), the BOM
 * dropped, lines kept as they are. CSV and TSV go out as table segments so that the detector's
 * column rules apply (it also handles the quotes); locations name the line.
 */
final class PlainTextExtractor implements FormatExtractor {
    private final char delimiter;

    private PlainTextExtractor(char delimiter) {
        this.delimiter = delimiter;
    }

    static PlainTextExtractor text() {
        return new PlainTextExtractor((char) 0);
    }

    static PlainTextExtractor csv() {
        return new PlainTextExtractor(',');
    }

    static PlainTextExtractor tsv() {
        return new PlainTextExtractor('\t');
    }

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        TextSegment.Table table = delimiter == 0 ? null
                : new TextSegment.Table(ctx.newTableId(), delimiter, null, delimiter == ',');
        try (Reader r = TextDecoding.open(source.openStream(), CharsetHints.get(source))) {
            ctx.emitText(location, r, table, Locators.lines(location));
        }
    }
}
