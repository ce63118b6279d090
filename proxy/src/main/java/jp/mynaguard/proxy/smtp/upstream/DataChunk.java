package jp.mynaguard.proxy.smtp.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A piece of message content on its way to {@link DotStuffingEncoder}, not yet dot-stuffed.
 * {@link #last()} marks the end of the message, after which the encoder writes the final dot.
 */
final class DataChunk extends DefaultByteBufHolder {
    private final boolean last;

    DataChunk(ByteBuf content, boolean last) {
        super(content);
        this.last = last;
    }

    boolean last() {
        return last;
    }

    @Override
    public DataChunk replace(ByteBuf content) {
        return new DataChunk(content, last);
    }
}
