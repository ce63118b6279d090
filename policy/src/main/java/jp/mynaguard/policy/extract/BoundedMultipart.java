package jp.mynaguard.policy.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.SharedInputStream;

/**
 * A MimeMultipart that stops at the part limit and at oversized part headers while it parses.
 *
 * <p>MimeMultipart parses every part up front into a list; without a bound, seven bytes per part
 * ({@code --b CRLF CRLF}) would give millions of MimeBodyPart objects. Part headers are measured
 * before they are parsed: a part whose header block is larger than the limit becomes an
 * {@link OversizedHeaders} placeholder, which the walker records as malformed and skips, and
 * parsing goes on with the next part.
 */
final class BoundedMultipart extends MimeMultipart {
    private final int maxParts;
    private final int maxHeaderBytes;
    private int created;

    BoundedMultipart(DataSource source, int maxParts, int maxHeaderBytes) throws MessagingException {
        super(source);
        this.maxParts = maxParts;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Thrown while parsing once there are more parts than the limit. */
    static final class TooManyParts extends MessagingException {
        private static final long serialVersionUID = 1L;

        TooManyParts() {
            super("too many parts");
        }
    }

    /** Stands for a part whose header block was too large to parse. */
    static final class OversizedHeaders extends MimeBodyPart {
    }

    private void count() throws TooManyParts {
        if (++created > maxParts) {
            throw new TooManyParts();
        }
    }

    @Override
    protected MimeBodyPart createMimeBodyPart(InputStream is) throws MessagingException {
        count();
        if (is instanceof SharedInputStream) {
            try {
                if (HeaderBlocks.exceeds(((SharedInputStream) is).newStream(0, -1), maxHeaderBytes)) {
                    return new OversizedHeaders();
                }
            } catch (IOException e) {
                throw new MessagingException("cannot read part", e);
            }
        }
        return super.createMimeBodyPart(is);
    }

    @Override
    protected MimeBodyPart createMimeBodyPart(InternetHeaders headers, byte[] content) throws MessagingException {
        count();
        return super.createMimeBodyPart(headers, content);
    }

    /**
     * Only used when the multipart is not backed by a shared stream (a multipart wrongly given a
     * transfer encoding): here the headers cannot be measured first, so reading past the limit
     * fails the whole multipart, which the walker records as malformed.
     */
    @Override
    protected InternetHeaders createInternetHeaders(InputStream is) throws MessagingException {
        return super.createInternetHeaders(new FilterInputStream(is) {
            private long read;

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0 && ++read > maxHeaderBytes) {
                    throw new IOException("part header block too large");
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && (read += n) > maxHeaderBytes) {
                    throw new IOException("part header block too large");
                }
                return n;
            }
        });
    }
}
