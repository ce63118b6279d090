package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Relationships and content types of an OOXML package (ECMA-376 part 2), just enough to find
 * the parts that hold text and to tell a workbook from a document or a presentation. Types are
 * compared by their last path segment, so the Transitional and Strict namespaces both work.
 */
final class OoxmlParts {
    private OoxmlParts() {
    }

    /** One relationship; {@code target} is a part name without leading slash, or the raw URI when external. */
    record Rel(String id, String type, String target, boolean external) {
        boolean isType(String lastSegment) {
            return type.endsWith("/" + lastSegment);
        }
    }

    /** The relationships of {@code partName} ({@code ""} for the package), empty when it has none. */
    static List<Rel> rels(ZipPackage pkg, String partName) throws IOException {
        int slash = partName.lastIndexOf('/');
        String dir = slash < 0 ? "" : partName.substring(0, slash + 1);
        String relsName = dir + "_rels/" + partName.substring(slash + 1) + ".rels";
        ZipArchiveEntry e = pkg.entry(relsName);
        List<Rel> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        try (InputStream in = pkg.open(e)) {
            XMLStreamReader r = Xml.reader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && "Relationship".equals(r.getLocalName())) {
                    String target = Xml.attr(r, "Target");
                    String type = Xml.attr(r, "Type");
                    if (target == null || type == null) {
                        continue;
                    }
                    boolean external = "External".equalsIgnoreCase(Xml.attr(r, "TargetMode"));
                    out.add(new Rel(Xml.attr(r, "Id"), type, external ? target : resolve(dir, target), external));
                }
            }
            r.close();
        } catch (XMLStreamException ex) {
            throw broken(relsName);
        }
        return out;
    }

    static Rel first(List<Rel> rels, String typeLastSegment) {
        for (Rel r : rels) {
            if (!r.external() && r.isType(typeLastSegment)) {
                return r;
            }
        }
        return null;
    }

    static Rel byId(List<Rel> rels, String id) {
        for (Rel r : rels) {
            if (!r.external() && r.id() != null && r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    /** Resolves a relationship target against the folder of its source part ({@code "xl/"}). */
    static String resolve(String dir, String target) {
        String path = target.startsWith("/") ? target.substring(1) : dir + target;
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(seg);
            }
        }
        return String.join("/", parts);
    }

    /**
     * What kind of package this is: {@link Format#XLSX}, {@link Format#DOCX}, {@link Format#PPTX},
     * {@link Format#ODF}, or {@link Format#ZIP} for any other zip. Decided by content, not by the
     * file name, so a workbook renamed to {@code .zip} (or a zip renamed to {@code .xlsx}) is read
     * for what it is.
     */
    static Format kind(ZipPackage pkg) throws IOException {
        if (pkg.entry("[Content_Types].xml") != null) {
            Rel main = first(rels(pkg, ""), "officeDocument");
            String name = main == null ? "" : main.target();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith("workbook.xml") && pkg.entry(name) != null) {
                return Format.XLSX;
            }
            if (lower.endsWith("document.xml") && pkg.entry(name) != null) {
                return Format.DOCX;
            }
            if (lower.endsWith("presentation.xml") && pkg.entry(name) != null) {
                return Format.PPTX;
            }
            if (pkg.entry("xl/workbook.xml") != null) {
                return Format.XLSX;
            }
            if (pkg.entry("word/document.xml") != null) {
                return Format.DOCX;
            }
            if (pkg.entry("ppt/presentation.xml") != null) {
                return Format.PPTX;
            }
        }
        if (pkg.entry("content.xml") != null
                && (pkg.entry("mimetype") != null || pkg.entry("META-INF/manifest.xml") != null)) {
            return Format.ODF;
        }
        return Format.ZIP;
    }

    /** The main part (workbook, document, presentation) named by the package relationships. */
    static String mainPart(ZipPackage pkg, String fallback) throws IOException {
        Rel main = first(rels(pkg, ""), "officeDocument");
        return main != null && pkg.entry(main.target()) != null ? main.target() : fallback;
    }

    /** Thrown for unparseable XML; names the part only, never the parser's message (it may quote content). */
    static IOException broken(String partName) {
        return new IOException("broken XML in " + partName);
    }
}
