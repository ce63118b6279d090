package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * A PowerPoint presentation (PresentationML): each slide in presentation order at
 * {@code <location>/slide N}, its speaker notes at {@code <location>/slide N/notes} and its
 * comments at {@code <location>/slide N/comments}.
 */
final class PptxReader extends PackageReader {
    private static final Pattern SLIDE_FILE = Pattern.compile("(?i)ppt/slides/slide(\\d{1,9})\\.xml");

    PptxReader(ExtractionContext ctx, String location, ZipPackage pkg) {
        super(ctx, location, pkg);
    }

    @Override
    void read() throws IOException {
        List<String> slides = slides();
        for (int i = 0; i < slides.size(); i++) {
            String slide = slides.get(i);
            String slideLocation = ExtractionContext.join(location, "slide " + (i + 1));
            text(slideLocation, slide, MarkupText.DRAWING);
            for (OoxmlParts.Rel rel : OoxmlParts.rels(pkg, slide)) {
                if (rel.external()) {
                    continue;
                }
                if (rel.isType("notesSlide")) {
                    text(ExtractionContext.join(slideLocation, "notes"), rel.target(), MarkupText.DRAWING);
                } else if (rel.isType("comments")) {
                    text(ExtractionContext.join(slideLocation, "comments"), rel.target(), MarkupText.SLIDE_COMMENTS);
                }
            }
        }
    }

    /** Slide parts in the order of {@code p:sldIdLst}; by file number when the presentation does not say. */
    private List<String> slides() throws IOException {
        String presentation = OoxmlParts.mainPart(pkg, "ppt/presentation.xml");
        List<OoxmlParts.Rel> rels = OoxmlParts.rels(pkg, presentation);
        List<String> slides = new ArrayList<>();
        part(ExtractionContext.join(location, presentation), presentation, in -> {
            try {
                XMLStreamReader r = Xml.reader(in);
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT && "sldId".equals(r.getLocalName())) {
                        OoxmlParts.Rel rel = OoxmlParts.byId(rels, Xml.relId(r));
                        if (rel != null && pkg.entry(rel.target()) != null) {
                            slides.add(rel.target());
                        }
                    }
                }
                r.close();
            } catch (XMLStreamException e) {
                throw OoxmlParts.broken(presentation);
            }
        });
        if (slides.isEmpty()) {
            List<ZipArchiveEntry> files = new ArrayList<>();
            for (ZipArchiveEntry e : pkg.entries()) {
                if (SLIDE_FILE.matcher(e.getName()).matches()) {
                    files.add(e);
                }
            }
            files.sort((a, b) -> Long.compare(number(a.getName()), number(b.getName())));
            for (ZipArchiveEntry e : files) {
                slides.add(e.getName());
            }
        }
        return slides;
    }

    private static long number(String name) {
        Matcher m = SLIDE_FILE.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }
}
