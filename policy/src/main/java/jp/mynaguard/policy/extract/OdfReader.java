package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An OpenDocument file (odt, ods, odp): {@code content.xml} at {@code <location>}, and
 * {@code styles.xml} (page headers and footers) at {@code <location>/styles}. A password-protected
 * file lists its encrypted parts in the manifest; those are {@code encrypted}.
 */
final class OdfReader extends PackageReader {
    OdfReader(ExtractionContext ctx, String location, ZipPackage pkg) {
        super(ctx, location, pkg);
    }

    @Override
    void read() throws IOException {
        Set<String> encrypted = encryptedParts();
        if (encrypted.contains("content.xml")) {
            ctx.unscannable(location, UnscannableReason.ENCRYPTED, "OpenDocument file is password-protected");
            return;
        }
        text(location, "content.xml", MarkupText.ODF);
        if (!encrypted.contains("styles.xml")) {
            text(ExtractionContext.join(location, "styles"), "styles.xml", MarkupText.ODF);
        }
    }

    /** Paths the manifest marks with {@code manifest:encryption-data}. */
    private Set<String> encryptedParts() throws IOException {
        Set<String> encrypted = new HashSet<>();
        String manifest = "META-INF/manifest.xml";
        part(ExtractionContext.join(location, manifest), manifest, in -> {
            try {
                XMLStreamReader r = Xml.reader(in);
                String path = null;
                while (r.hasNext()) {
                    if (r.next() != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    if ("file-entry".equals(r.getLocalName())) {
                        path = Xml.attr(r, "full-path");
                    } else if ("encryption-data".equals(r.getLocalName()) && path != null) {
                        encrypted.add(path);
                    }
                }
                r.close();
            } catch (XMLStreamException e) {
                throw OoxmlParts.broken(manifest);
            }
        });
        return encrypted;
    }
}
