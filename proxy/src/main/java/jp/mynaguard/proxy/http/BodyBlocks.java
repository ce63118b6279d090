package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import jp.mynaguard.proxy.smtp.MessageSpool;

/**
 * A request body in pooled direct memory blocks (16 KiB, doubling to 256 KiB), charged to a
 * {@link BodyMemory} per block before a byte goes in; closing gives the blocks and the charge back.
 */
final class BodyBlocks implements AutoCloseable {
    private final BodyMemory memory;
    private final ByteBufAllocator alloc;
    private final List<ByteBuf> blocks = new ArrayList<>();
    private long reserved;
    private boolean closed;

    BodyBlocks(BodyMemory memory, ByteBufAllocator alloc) {
        this.memory = memory;
        this.alloc = alloc;
    }

    /**
     * Copies the chunk in, adding blocks as needed. False, with nothing copied, when the budget
     * cannot cover it.
     */
    boolean append(ByteBuf chunk) {
        int n = chunk.readableBytes();
        int first = blocks.size();
        long room = 0;
        if (first > 0 && blocks.get(first - 1).isWritable()) {
            first--;
            room = blocks.get(first).writableBytes();
        }
        while (room < n) {
            int size = blocks.isEmpty() ? HttpProxyLimits.BODY_BLOCK_MIN
                    : Math.min(HttpProxyLimits.BODY_BLOCK_MAX, blocks.get(blocks.size() - 1).capacity() * 2);
            if (!memory.tryReserve(size)) {
                return false;
            }
            reserved += size;
            ByteBuf block = size == HttpProxyLimits.BODY_BLOCK_MAX ? memory.reuseBlock() : null;
            blocks.add(block != null ? block : alloc.directBuffer(size, size));
            room += size;
        }
        ByteBuf src = chunk.duplicate();
        for (int i = first; src.isReadable(); i++) {
            ByteBuf block = blocks.get(i);
            block.writeBytes(src, Math.min(src.readableBytes(), block.writableBytes()));
        }
        return true;
    }

    /** Views of the bytes, valid until {@link #close}. */
    List<ByteBuffer> nioBuffers() {
        List<ByteBuffer> out = new ArrayList<>(blocks.size());
        for (ByteBuf b : blocks) {
            out.add(b.nioBuffer());
        }
        return out;
    }

    /** The bytes as one buffer over the same memory, which keeps the blocks alive until released. */
    ByteBuf retainedView() {
        ByteBuf[] views = new ByteBuf[blocks.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = blocks.get(i).retainedDuplicate();
        }
        return Unpooled.wrappedBuffer(views);
    }

    void writeTo(MessageSpool spool) throws IOException {
        for (ByteBuf b : blocks) {
            spool.write(b);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.giveBack(reserved, blocks);
        blocks.clear();
        reserved = 0;
    }
}
