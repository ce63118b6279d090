package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import jp.mynaguard.policy.detect.TextSegment;

/**
 * HTML files and HTML mail bodies. The text is rendered by {@link HtmlText}; each outermost
 * table goes out as a table segment with TAB as delimiter, so the detector's column rules see a
 * {@code 個人番号} header cell. The whole document is parsed into memory (jsoup), which is
 * bounded by the size of the input.
 */
final class HtmlExtractor implements FormatExtractor {
    private static final Pattern META_CHARSET =
            Pattern.compile("<meta[^>]+charset\\s*=\\s*[\"']?([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        Charset declared = metaCharset(source.head(2048));
        if (declared == null) {
            declared = CharsetHints.get(source);
        }
        try (Reader r = TextDecoding.open(source.openStream(), declared)) {
            emit(ctx, location, r);
        }
    }

    /** Renders the HTML read from {@code html} and emits it at {@code location}. */
    static void emit(ExtractionContext ctx, String location, Reader html) throws IOException {
        Document doc = Jsoup.parse(readAll(html));
        ctx.checkDeadline();
        for (HtmlText.Piece p : HtmlText.render(doc)) {
            if (p.table()) {
                ctx.emitText(location, new java.io.StringReader(p.text()),
                        new TextSegment.Table(ctx.newTableId(), '\t', null, false), null);
            } else {
                ctx.emitText(location, p.text());
            }
        }
    }

    private static String readAll(Reader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        int n;
        while ((n = r.read(buf)) > 0) {
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    /** The charset named by a {@code <meta>} tag near the start, through the Japanese alias table. */
    static Charset metaCharset(byte[] head) {
        Matcher m = META_CHARSET.matcher(new String(head, StandardCharsets.ISO_8859_1));
        return m.find() ? MimeCharsets.forLabel(m.group(1)) : null;
    }
}
