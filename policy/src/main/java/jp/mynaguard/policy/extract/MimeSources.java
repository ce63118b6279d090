package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.SharedInputStream;

/**
 * Streams over MIME data that keep bodies out of memory. jakarta.mail only parses without
 * copying when it reads a {@link SharedInputStream}: then a part is a window (start, end) on
 * the same bytes or file.
 */
final class MimeSources {
    private MimeSources() {
    }

    /**
     * A shared stream over the whole input: the byte array itself, or the spool file read in
     * place. The caller closes it when done with every part parsed from it.
     */
    static InputStream shared(InputSource source) throws IOException {
        return source.openShared();
    }

    /** The undecoded body of a part or message: a window on the shared input, when it has one. */
    static InputStream raw(MimePart part) throws MessagingException {
        if (part instanceof MimeBodyPart) {
            return ((MimeBodyPart) part).getRawInputStream();
        }
        return ((MimeMessage) part).getRawInputStream();
    }

    /**
     * The body with its Content-Transfer-Encoding undone (base64, quoted-printable with soft
     * breaks anywhere, uuencode). An unreadable or unknown encoding gives the raw bytes, which
     * are still scanned.
     */
    static InputStream decoded(MimePart part) throws MessagingException {
        InputStream raw = raw(part);
        String encoding;
        try {
            encoding = part.getEncoding();
        } catch (MessagingException e) {
            return raw;
        }
        if (encoding == null) {
            return raw;
        }
        try {
            return MimeUtility.decode(raw, encoding);
        } catch (MessagingException e) {
            return raw;
        }
    }

    /** The undecoded body of a multipart entity, for parsing its parts. */
    static DataSource multipartBody(MimePart part, String contentType) {
        return new ReadOnlySource(contentType) {
            @Override
            public InputStream getInputStream() throws IOException {
                try {
                    return raw(part);
                } catch (MessagingException e) {
                    throw new IOException("cannot read multipart body", e);
                }
            }
        };
    }

    /**
     * A multipart body held in an InputSource (an HTTP form): each call gives a window on one
     * shared root stream, so closing it (MimeMultipart does) leaves the parts readable.
     */
    static DataSource multipartBody(InputStream sharedRoot, String contentType) {
        return new ReadOnlySource(contentType) {
            @Override
            public InputStream getInputStream() {
                return ((SharedInputStream) sharedRoot).newStream(0, -1);
            }
        };
    }

    /** A DataSource we only ever read from, for MimeMultipart to parse. */
    private abstract static class ReadOnlySource implements DataSource {
        private final String contentType;

        ReadOnlySource(String contentType) {
            this.contentType = contentType;
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException("read-only data source");
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return null;
        }
    }
}
