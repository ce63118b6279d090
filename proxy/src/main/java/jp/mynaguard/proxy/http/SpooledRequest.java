package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.MessageSpool;
import jp.mynaguard.proxy.smtp.SpooledMessage;

/**
 * One request as the extractor reads it: a short canonical head (request line with the
 * origin-form target, Host, Content-Type, Content-Encoding; no framing fields, so the body runs
 * to the end) followed by the body bytes exactly as the client sent them, transfer coding
 * removed. The body is kept in one of two places:
 * <ul>
 * <li>pooled direct memory blocks, while it fits {@link BodyMemory} (its own cap and the
 * budget all bodies share): scanned in place ({@link InputSource#ofBuffers}) and forwarded from
 * the same blocks;</li>
 * <li>else a 0600 spool file (the SMTP server's {@link MessageSpool}): scanned through a slice of
 * the file, forwarded by sendfile to a plain-HTTP origin or in chunks over TLS.</li>
 * </ul>
 */
final class SpooledRequest implements AutoCloseable {
    private final byte[] head;
    /** The body in memory, or null. */
    private final BodyBlocks blocks;
    /** The head and body in the spool file, or null. */
    private final SpooledMessage spooled;
    private final long bodyLength;

    private SpooledRequest(byte[] head, BodyBlocks blocks, SpooledMessage spooled, long bodyLength) {
        this.head = head;
        this.blocks = blocks;
        this.spooled = spooled;
        this.bodyLength = bodyLength;
    }

    /** Collects one request: the head at once, then body chunks as they arrive (on the event loop). */
    static final class Writer implements AutoCloseable {
        private final byte[] head;
        private final BodyMemory memory;
        private final Path directory;
        /** The body so far while in memory; null once spilled or finished. */
        private BodyBlocks blocks;
        private MessageSpool spool;
        private long bodyBytes;

        Writer(HttpRequest request, RequestTarget target, BodyMemory memory, ByteBufAllocator alloc, Path directory) {
            this.memory = memory;
            this.directory = directory;
            this.blocks = new BodyBlocks(memory, alloc);
            StringBuilder h = new StringBuilder(256);
            h.append(request.method().name()).append(' ').append(target.path()).append(" HTTP/1.1\r\n");
            h.append("Host: ").append(target.hostHeader()).append("\r\n");
            copy(request, HttpHeaderNames.CONTENT_TYPE, h);
            copy(request, HttpHeaderNames.CONTENT_ENCODING, h);
            h.append("\r\n");
            this.head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        private static void copy(HttpRequest r, CharSequence name, StringBuilder h) {
            for (String v : r.headers().getAll(name)) {
                h.append(name).append(": ").append(v).append("\r\n");
            }
        }

        /** {@code bufferCapacity}: of the received buffer {@code chunk} is a slice of, 0 when unknown ({@link BodyBlocks#append}). */
        void write(ByteBuf chunk, int bufferCapacity) throws IOException {
            int n = chunk.readableBytes();
            if (spool == null && !(bodyBytes + n <= memory.perBody() && blocks.append(chunk, bufferCapacity))) {
                spill();
            }
            if (spool != null) {
                spool.write(chunk);
            }
            bodyBytes += n;
        }

        /** From memory to the spool file: the head and what the blocks hold, then the blocks go. */
        private void spill() throws IOException {
            spool = new MessageSpool(0, directory, "mynaguard-http-");
            spool.write(Unpooled.wrappedBuffer(head));
            blocks.writeTo(spool);
            blocks.close();
            blocks = null;
        }

        long bodyBytes() {
            return bodyBytes;
        }

        SpooledRequest finish() throws IOException {
            if (spool != null) {
                SpooledMessage file = spool.finish(); // on failure close() still deletes the spool
                spool = null;
                return new SpooledRequest(head, null, file, bodyBytes);
            }
            SpooledRequest r = new SpooledRequest(head, blocks, null, bodyBytes);
            blocks = null;
            return r;
        }

        @Override
        public void close() {
            if (blocks != null) {
                blocks.close();
                blocks = null;
            }
            if (spool != null) {
                spool.close();
                spool = null;
            }
        }
    }

    /** Head and body, for {@link jp.mynaguard.policy.extract.Format#HTTP_REQUEST}. */
    InputSource content() {
        if (spooled != null) {
            return spooled.content();
        }
        List<ByteBuffer> all = new ArrayList<>();
        all.add(ByteBuffer.wrap(head));
        all.addAll(blocks.nioBuffers());
        return InputSource.ofBuffers(all);
    }

    long bodyLength() {
        return bodyLength;
    }

    /** The body bytes alone, read where they are (valid until this request is closed). */
    InputSource body() {
        if (spooled == null) {
            return InputSource.ofBuffers(blocks.nioBuffers());
        }
        // the spill writes from the first byte (threshold 0), so the spooled request is a file
        return spooled.content().slice(head.length, bodyLength);
    }

    /** The body bytes alone, streamed. */
    InputStream openBody() throws IOException {
        return body().openStream();
    }

    /**
     * The body as the origin connection writes it after the request head: from memory, the
     * blocks themselves (the same memory, no copy); from the spool file, to a plain-TCP origin as
     * a {@link DefaultFileRegion} (sendfile moves it from the page cache to the socket without
     * passing through the JVM) and over TLS (which must encrypt it) as chunks for
     * ChunkedWriteHandler; an empty body as the empty last content.
     */
    Object forwardBody(boolean plainOrigin) throws IOException {
        if (bodyLength == 0) {
            return LastHttpContent.EMPTY_LAST_CONTENT;
        }
        if (spooled == null) {
            return new DefaultLastHttpContent(blocks.retainedView());
        }
        InputSource c = spooled.content();
        if (plainOrigin) {
            return new DefaultFileRegion(FileChannel.open(c.file(), StandardOpenOption.READ), head.length, bodyLength);
        }
        ChunkedInput<ByteBuf> chunks = new ChunkedNioFile(FileChannel.open(c.file(), StandardOpenOption.READ),
                head.length, bodyLength, 64 * 1024);
        return new HttpChunkedInput(chunks);
    }

    @Override
    public void close() {
        if (spooled != null) {
            spooled.close();
        } else {
            blocks.close();
        }
    }
}
