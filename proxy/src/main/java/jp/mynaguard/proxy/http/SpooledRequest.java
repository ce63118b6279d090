package jp.mynaguard.proxy.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedStream;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.MessageSpool;
import jp.mynaguard.proxy.smtp.SpooledMessage;

/**
 * One request as the extractor reads it: a short canonical head (request line with the
 * origin-form target, Host, Content-Type, Content-Encoding; no framing fields, so the body runs
 * to the end) followed by the body bytes exactly as the client sent them, transfer coding
 * removed. Spooled with the SMTP server's {@link MessageSpool} (heap up to the threshold, then a
 * 0600 file), so the scanner reads it without a copy and the forwarder sends the body from it
 * (with sendfile to a plain-HTTP origin).
 */
final class SpooledRequest implements AutoCloseable {
    private final SpooledMessage spooled;
    private final int headLength;

    private SpooledRequest(SpooledMessage spooled, int headLength) {
        this.spooled = spooled;
        this.headLength = headLength;
    }

    /** Collects one request: the head at once, then body chunks as they arrive. */
    static final class Writer implements AutoCloseable {
        private final MessageSpool spool;
        private final int headLength;

        Writer(HttpRequest request, RequestTarget target, int threshold, Path directory) throws IOException {
            this.spool = new MessageSpool(threshold, directory, "mynaguard-http-");
            StringBuilder h = new StringBuilder(256);
            h.append(request.method().name()).append(' ').append(target.path()).append(" HTTP/1.1\r\n");
            h.append("Host: ").append(target.hostHeader()).append("\r\n");
            copy(request, HttpHeaderNames.CONTENT_TYPE, h);
            copy(request, HttpHeaderNames.CONTENT_ENCODING, h);
            h.append("\r\n");
            byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
            spool.write(io.netty.buffer.Unpooled.wrappedBuffer(head));
            this.headLength = head.length;
        }

        private static void copy(HttpRequest r, CharSequence name, StringBuilder h) {
            for (String v : r.headers().getAll(name)) {
                h.append(name).append(": ").append(v).append("\r\n");
            }
        }

        void write(ByteBuf chunk) throws IOException {
            spool.write(chunk);
        }

        long bodyBytes() {
            return spool.size() - headLength;
        }

        SpooledRequest finish() throws IOException {
            return new SpooledRequest(spool.finish(), headLength);
        }

        @Override
        public void close() {
            spool.close();
        }
    }

    /** Head and body, for {@link jp.mynaguard.policy.extract.Format#HTTP_REQUEST}. */
    InputSource content() {
        return spooled.content();
    }

    long bodyLength() {
        return spooled.size() - headLength;
    }

    /** The body bytes alone. */
    InputStream openBody() throws IOException {
        InputSource c = spooled.content();
        if (c.inMemory()) {
            return new ByteArrayInputStream(c.bytesOrNull(), headLength, (int) bodyLength());
        }
        InputStream in = c.openStream();
        in.skipNBytes(headLength);
        return in;
    }

    /**
     * The body as the origin connection writes it after the request head. To a plain-TCP origin
     * a body in the spool file goes as a {@link FileRegion}: sendfile moves it from the page cache
     * to the socket without passing through the JVM. Over TLS (which must encrypt it) or from the
     * heap, as chunks for ChunkedWriteHandler; an empty body as the empty last content.
     */
    Object forwardBody(boolean plainOrigin) throws IOException {
        if (bodyLength() == 0) {
            return LastHttpContent.EMPTY_LAST_CONTENT;
        }
        InputSource c = spooled.content();
        if (plainOrigin && !c.inMemory()) {
            return new DefaultFileRegion(FileChannel.open(c.file(), StandardOpenOption.READ), headLength, bodyLength());
        }
        return new HttpChunkedInput(bodyInput());
    }

    /** The body for ChunkedWriteHandler: from the heap, or straight from the spool file. */
    ChunkedInput<ByteBuf> bodyInput() throws IOException {
        InputSource c = spooled.content();
        if (c.inMemory()) {
            return new ChunkedStream(openBody(), 64 * 1024);
        }
        FileChannel ch = FileChannel.open(c.file(), StandardOpenOption.READ);
        return new ChunkedNioFile(ch, headLength, bodyLength(), 64 * 1024);
    }

    @Override
    public void close() {
        spooled.close();
    }
}
