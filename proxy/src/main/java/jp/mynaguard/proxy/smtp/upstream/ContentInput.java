package jp.mynaguard.proxy.smtp.upstream;

import java.io.IOException;
import java.io.InputStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import jp.mynaguard.policy.extract.InputSource;

/**
 * Feeds a message to {@code ChunkedWriteHandler} as {@link DataChunk}s, so a 200 MB spooled
 * message is written as fast as the smarthost reads it and never sits on the heap. In-memory
 * content is sliced without copying; spooled content is read from its file in 64 KiB pieces
 * (on the event loop, like Netty's own {@code ChunkedFile}: local disk reads are short).
 */
final class ContentInput implements ChunkedInput<DataChunk> {
    static final int CHUNK_SIZE = 64 * 1024;

    private final InputSource source;
    private final byte[] bytes;
    private InputStream stream;
    private long offset;
    private boolean endSent;

    ContentInput(InputSource source) {
        this.source = source;
        this.bytes = source.bytesOrNull();
    }

    @Override
    public boolean isEndOfInput() {
        return endSent;
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }

    @Deprecated
    @Override
    public DataChunk readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public DataChunk readChunk(ByteBufAllocator allocator) throws IOException {
        if (endSent) {
            return null;
        }
        if (bytes != null) {
            int n = (int) Math.min(CHUNK_SIZE, bytes.length - offset);
            ByteBuf slice = Unpooled.wrappedBuffer(bytes, (int) offset, n);
            offset += n;
            endSent = offset == bytes.length;
            return new DataChunk(slice, endSent);
        }
        if (stream == null) {
            stream = source.openStream();
        }
        ByteBuf buf = allocator.heapBuffer(CHUNK_SIZE);
        try {
            int n = buf.writeBytes(stream, CHUNK_SIZE);
            if (n < 0) {
                endSent = true;
                return new DataChunk(buf, true);
            }
            offset += n;
            DataChunk chunk = new DataChunk(buf, false);
            buf = null;
            return chunk;
        } finally {
            if (buf != null && !endSent) {
                buf.release();
            }
        }
    }

    @Override
    public long length() {
        return source.size();
    }

    @Override
    public long progress() {
        return offset;
    }
}
