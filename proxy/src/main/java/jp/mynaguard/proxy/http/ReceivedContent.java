package jp.mynaguard.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;

/**
 * Body bytes as the decoder sliced them from a received buffer, with that buffer's capacity:
 * what keeping the slice pins ({@link BodyBlocks}). Asked of the decoder, not of the slice,
 * because a slice's {@code unwrap()} is the leak detector's wrapper when it samples the buffer.
 */
final class ReceivedContent extends DefaultHttpContent {
    private final int bufferCapacity;

    ReceivedContent(ByteBuf slice, int bufferCapacity) {
        super(slice);
        this.bufferCapacity = bufferCapacity;
    }

    /** Capacity of the buffer the bytes are a slice of. */
    int bufferCapacity() {
        return bufferCapacity;
    }
}
