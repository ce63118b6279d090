package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import jp.mynaguard.proxy.smtp.MessageSpool;

/**
 * A request body in direct memory, charged to a {@link BodyMemory} before a byte goes in: the
 * received buffers themselves where they are well filled (a bulk upload), else copies in blocks
 * (16 KiB, doubling to 256 KiB); closing gives the memory and the charge back.
 */
final class BodyBlocks implements AutoCloseable {
    private final BodyMemory memory;
    private final ByteBufAllocator alloc;
    /** The body's pieces in order: kept received slices and own blocks. */
    private final List<ByteBuf> blocks = new ArrayList<>();
    /** The full-size blocks among them that this body allocated or reused (candidates for the next body). */
    private final Set<ByteBuf> fullSize = Collections.newSetFromMap(new IdentityHashMap<>()); // ByteBuf.equals compares bytes
    private long reserved;
    /** Size of the last block this body allocated (0: none yet); the next is twice as large. */
    private int lastBlockSize;
    private boolean closed;

    BodyBlocks(BodyMemory memory, ByteBufAllocator alloc) {
        this.memory = memory;
        this.alloc = alloc;
    }

    /** {@link #append(ByteBuf, int)} of a chunk that is copied. */
    boolean append(ByteBuf chunk) {
        return append(chunk, 0);
    }

    /**
     * Takes the chunk in. A slice of a received direct buffer of {@code bufferCapacity} bytes
     * that fills at least half of it is kept as it is, charged that capacity: copying bulk uploads
     * was a fifth of the event loops' time. Anything else (a small piece, a mostly empty buffer,
     * {@code bufferCapacity} 0 when unknown) is copied into blocks, added as needed. False, with
     * nothing taken, when the budget cannot cover it.
     */
    boolean append(ByteBuf chunk, int bufferCapacity) {
        int n = chunk.readableBytes();
        if (chunk.isDirect() && n >= HttpProxyLimits.BODY_BLOCK_MIN && bufferCapacity >= n && 2L * n >= bufferCapacity) {
            if (!memory.tryReserve(bufferCapacity)) {
                return false;
            }
            reserved += bufferCapacity;
            blocks.add(chunk.retainedSlice());
            return true;
        }
        int first = blocks.size();
        long room = 0;
        if (first > 0 && blocks.get(first - 1).isWritable()) { // a kept slice is never writable
            first--;
            room = blocks.get(first).writableBytes();
        }
        while (room < n) {
            int size = lastBlockSize == 0 ? HttpProxyLimits.BODY_BLOCK_MIN
                    : Math.min(HttpProxyLimits.BODY_BLOCK_MAX, lastBlockSize * 2);
            if (!memory.tryReserve(size)) {
                return false;
            }
            reserved += size;
            ByteBuf block = memory.block(size, alloc);
            blocks.add(block);
            if (size == HttpProxyLimits.BODY_BLOCK_MAX) {
                fullSize.add(block);
            }
            lastBlockSize = size;
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
        List<ByteBuf> released = new ArrayList<>(blocks.size());
        for (ByteBuf b : blocks) {
            if (!fullSize.contains(b)) {
                released.add(b);
            }
        }
        memory.giveBack(reserved, released, fullSize);
        blocks.clear();
        fullSize.clear();
        reserved = 0;
    }
}
