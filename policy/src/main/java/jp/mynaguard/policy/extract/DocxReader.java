package jp.mynaguard.policy.extract;

import java.io.IOException;

/**
 * A Word document (WordprocessingML): the body at {@code <location>}, then headers, footers,
 * footnotes, endnotes and comments at {@code <location>/header1}, {@code <location>/comments}...
 * Paragraphs are lines, runs are joined, table rows are TAB-joined lines (see {@link MarkupText}).
 * Deleted text of tracked changes is read too: it is still in the file the recipient gets.
 */
final class DocxReader extends PackageReader {
    DocxReader(ExtractionContext ctx, String location, ZipPackage pkg) {
        super(ctx, location, pkg);
    }

    @Override
    void read() throws IOException {
        String document = OoxmlParts.mainPart(pkg, "word/document.xml");
        text(location, document, MarkupText.WORD);
        for (OoxmlParts.Rel rel : OoxmlParts.rels(pkg, document)) {
            if (!rel.external() && (rel.isType("header") || rel.isType("footer") || rel.isType("footnotes")
                    || rel.isType("endnotes") || rel.isType("comments"))) {
                text(ExtractionContext.join(location, baseName(rel.target())), rel.target(), MarkupText.WORD);
            }
        }
    }
}
