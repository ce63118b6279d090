package jp.mynaguard.policy.extract;

import java.io.InputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * StAX readers for the XML inside Office and ODF packages. DTDs and external entities are off:
 * a document from outside must not make us fetch URLs or read local files (XXE), nor expand
 * entities into gigabytes. The JDK's own implementation is used on purpose, so a StAX provider
 * that some library drags onto the classpath cannot silently change these settings.
 */
final class Xml {
    private static final XMLInputFactory FACTORY = newFactory();

    private Xml() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        // The factory is thread-safe once configured; readers are per call.
        return FACTORY.createXMLStreamReader(in);
    }

    /** The attribute's value by local name, whatever its namespace prefix; {@code null} when absent. */
    static String attr(XMLStreamReader r, String localName) {
        for (int i = 0, n = r.getAttributeCount(); i < n; i++) {
            if (localName.equals(r.getAttributeLocalName(i))) {
                return r.getAttributeValue(i);
            }
        }
        return null;
    }

    /**
     * The relationship id attribute ({@code r:id}) of the current element: an attribute named
     * {@code id} in a relationships namespace, not the plain {@code id} next to it.
     */
    static String relId(XMLStreamReader r) {
        for (int i = 0, n = r.getAttributeCount(); i < n; i++) {
            String ns = r.getAttributeNamespace(i);
            if ("id".equals(r.getAttributeLocalName(i)) && ns != null && ns.endsWith("relationships")) {
                return r.getAttributeValue(i);
            }
        }
        return null;
    }

    /** Skips the current element and everything inside it; the reader is left on its end tag. */
    static void skipElement(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamReader.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamReader.END_ELEMENT) {
                depth--;
            }
        }
    }
}
