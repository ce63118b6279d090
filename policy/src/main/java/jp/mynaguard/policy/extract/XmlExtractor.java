package jp.mynaguard.policy.extract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML with StAX: element text as {@code element: text} lines and every attribute as an
 * {@code attribute: value} line, so element and attribute names ({@code 個人番号}, {@code
 * myNumber}) give keyword context. DTDs and external entities are disabled: an upload must not
 * make the gateway read local files or the network (XXE), nor expand entity bombs.
 */
final class XmlExtractor implements FormatExtractor {
    private static final Pattern DECLARED_ENCODING =
            Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");
    /** Text kept for one element before it is emitted as a line of its own. */
    private static final int MAX_TEXT = 16 * 1024;

    private final XMLInputFactory factory;

    XmlExtractor() {
        // The JDK's own implementation, whatever else is on the class path (Woodstox would honour
        // the same properties, but this keeps behaviour fixed).
        factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> new ByteArrayInputStream(new byte[0]));
    }

    @Override
    public void extract(ExtractionContext ctx, String location, InputSource source) throws IOException {
        if (source.size() == 0) {
            return; // nothing to read, and StAX would call an empty document malformed
        }
        Charset declared = CharsetHints.get(source);
        Charset inDocument = declaredEncoding(source.head(200));
        if (inDocument != null) {
            declared = inDocument;
        }
        try (InputStream raw = source.openStream();
             Reader text = TextDecoding.open(raw, declared)) {
            XMLStreamReader xml;
            try {
                xml = factory.createXMLStreamReader(text);
            } catch (XMLStreamException e) {
                throw new IOException("XML parser could not start", e);
            }
            try (Lines lines = new Lines(xml)) {
                ctx.emitText(location, lines, null, null);
                lines.reportFailure(ctx, location);
            }
        }
    }

    /** The encoding in the XML declaration, mapped through the Japanese alias table. */
    static Charset declaredEncoding(byte[] head) {
        Matcher m = DECLARED_ENCODING.matcher(new String(head, StandardCharsets.ISO_8859_1));
        return m.find() ? MimeCharsets.forLabel(m.group(1)) : null;
    }

    /** Lines pulled from the StAX reader. */
    private static final class Lines extends LineReader {
        private final XMLStreamReader xml;
        private final ArrayDeque<String> pending = new ArrayDeque<>();
        private final ArrayDeque<String> names = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private boolean stopped;

        Lines(XMLStreamReader xml) {
            this.xml = xml;
        }

        @Override
        protected String nextLine() throws IOException {
            try {
                while (!stopped && pending.isEmpty() && xml.hasNext()) {
                    switch (xml.next()) {
                        case XMLStreamConstants.START_ELEMENT:
                            flushText();
                            names.push(xml.getLocalName());
                            for (int i = 0; i < xml.getAttributeCount(); i++) {
                                String v = xml.getAttributeValue(i);
                                if (v != null && !v.isBlank()) {
                                    pending.add(xml.getAttributeLocalName(i) + ": " + v.strip());
                                }
                            }
                            break;
                        case XMLStreamConstants.END_ELEMENT:
                            flushText();
                            names.poll();
                            break;
                        case XMLStreamConstants.CHARACTERS:
                        case XMLStreamConstants.CDATA:
                        case XMLStreamConstants.SPACE:
                            text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                            if (text.length() > MAX_TEXT) {
                                flushText();
                            }
                            break;
                        case XMLStreamConstants.COMMENT:
                            // Comments travel with the file; something can be hidden in them.
                            add("comment", xml.getText());
                            break;
                        default:
                            break;
                    }
                }
                if (pending.isEmpty()) {
                    flushText();
                }
            } catch (XMLStreamException e) {
                stopped = true;
                flushText();
                fail(UnscannableReason.MALFORMED, e.getLocation() == null ? "invalid XML"
                        : "invalid XML at line " + e.getLocation().getLineNumber());
            }
            return pending.poll();
        }

        private void flushText() {
            if (text.length() > 0) {
                add(names.peek(), text.toString());
                text.setLength(0);
            }
        }

        private void add(String name, String value) {
            String v = value.strip();
            if (!v.isEmpty()) {
                pending.add(name == null ? v : name + ": " + v);
            }
        }

        @Override
        public void close() throws IOException {
            super.close();
            try {
                xml.close();
            } catch (XMLStreamException e) {
                // nothing left to read
            }
        }
    }
}
