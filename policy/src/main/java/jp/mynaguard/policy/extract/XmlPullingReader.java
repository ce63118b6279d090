package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A {@link PullingReader} over one XML part of an Office package: opens the part with the
 * hardened StAX reader ({@link Xml}), checks the deadline per batch, feeds events to
 * {@link #onEvent} until a batch of text is out, and turns any XML error into a broken-part error
 * that names the part, never its content.
 */
abstract class XmlPullingReader extends PullingReader {
    protected final ExtractionContext ctx;
    protected final XMLStreamReader r;
    private final String partName;

    XmlPullingReader(ExtractionContext ctx, InputStream in, String partName) throws IOException {
        this.ctx = ctx;
        this.partName = partName;
        try {
            this.r = Xml.reader(in);
        } catch (XMLStreamException e) {
            throw OoxmlParts.broken(partName);
        }
    }

    /** Handles the event {@link #r} stands on (the value {@code r.next()} returned). */
    protected abstract void onEvent(int event) throws XMLStreamException;

    @Override
    protected final boolean produce() throws IOException {
        ctx.checkDeadline();
        try {
            while (out.length() < BATCH_CHARS) {
                if (!r.hasNext()) {
                    return false;
                }
                onEvent(r.next());
            }
            return true;
        } catch (XMLStreamException e) {
            throw OoxmlParts.broken(partName);
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        try {
            r.close();
        } catch (XMLStreamException e) {
            // nothing held beyond the stream, which the caller closes
        }
    }
}
