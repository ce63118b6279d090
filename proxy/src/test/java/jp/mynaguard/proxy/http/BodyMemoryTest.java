package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * How a body's memory is taken and given back. A received buffer at least half full is kept as
 * it is, charged its whole capacity; other pieces are copied into blocks. Full-size blocks of a
 * finished body are kept for the next one, inside the budget: reserved plus kept never passes
 * it, a reservation that needs their room frees them, a reused block carries nothing of the body
 * before, and a block a forward still reads is not kept.
 */
class BodyMemoryTest {
    private static final int MAX = HttpProxyLimits.BODY_BLOCK_MAX;

    private static byte[] body(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (i * 7 + seed) % 26);
        }
        return b;
    }

    private static BodyBlocks received(BodyMemory memory, byte[] body) {
        BodyBlocks blocks = new BodyBlocks(memory, ByteBufAllocator.DEFAULT);
        for (int off = 0; off < body.length; off += 10_000) {
            ByteBuf chunk = Unpooled.wrappedBuffer(body, off, Math.min(10_000, body.length - off));
            assertTrue(blocks.append(chunk));
        }
        return blocks;
    }

    private static byte[] bytes(BodyBlocks blocks, int n) {
        byte[] out = new byte[n];
        int at = 0;
        for (ByteBuffer b : blocks.nioBuffers()) {
            int k = b.remaining();
            b.get(out, at, k);
            at += k;
        }
        assertEquals(n, at);
        return out;
    }

    @Test
    void theNextBodyReusesTheFullSizeBlocksAndSeesOnlyItsOwnBytes() {
        try (BodyMemory memory = new BodyMemory(16 << 20, 16 << 20)) {
            byte[] first = body(2_000_000, 0);
            try (BodyBlocks a = received(memory, first)) {
                assertArrayEquals(first, bytes(a, first.length));
            }
            assertEquals(0, memory.used());
            long kept = memory.kept();
            assertTrue(kept >= 6L * MAX, "full-size blocks are kept: " + kept);

            byte[] second = body(1_000_000, 3); // shorter: a stale tail of the first body would show
            try (BodyBlocks b = received(memory, second)) {
                assertTrue(memory.kept() < kept, "kept blocks are taken before new ones");
                assertArrayEquals(second, bytes(b, second.length));
            }
        }
    }

    @Test
    void keptBlocksStayInsideTheBudgetAndMakeRoomWhenItIsNeeded() {
        try (BodyMemory memory = new BodyMemory(4 << 20, 4 << 20)) {
            received(memory, body(3_000_000, 0)).close();
            assertTrue(memory.used() + memory.kept() <= 4 << 20);
            assertTrue(memory.kept() > 0);

            assertTrue(memory.tryReserve(4 << 20), "kept blocks are freed for a reservation");
            assertEquals(0, memory.kept());
            assertFalse(memory.tryReserve(1));
        }
    }

    @Test
    void keptBlocksNoBodyTookSinceTheLastTrimAreFreed() {
        try (BodyMemory memory = new BodyMemory(16 << 20, 16 << 20)) {
            received(memory, body(2_000_000, 0)).close();
            long kept = memory.kept();
            assertTrue(kept >= 6L * MAX);
            assertEquals(0, memory.trimIdle(), "the first trim only starts watching");
            assertEquals(kept, memory.kept());

            received(memory, body(600_000, 1)).close(); // takes one or two and gives them back
            int idle = memory.trimIdle();
            assertTrue(idle > 0 && idle < kept / MAX, "only what no body took: " + idle);
            assertTrue(memory.kept() > 0, "what the last body used stays");

            assertTrue(memory.trimIdle() > 0, "an interval without uploads frees the rest");
            assertEquals(0, memory.kept());
            assertEquals(0, memory.trimIdle());
        }
    }

    @Test
    void aStoppedProxyFreesTheKeptBlocksAndKeepsNoMore() {
        BodyMemory memory = new BodyMemory(4 << 20, 4 << 20);
        BodyBlocks open = received(memory, body(1_000_000, 0));
        received(memory, body(1_000_000, 1)).close();
        assertTrue(memory.kept() > 0);
        memory.close();
        assertEquals(0, memory.kept());
        open.close();
        assertEquals(0, memory.kept(), "a body that ends after the stop gives its blocks back to the allocator");
        assertEquals(0, memory.used());
    }

    @Test
    void aBlockAForwardStillReadsIsNotKept() {
        try (BodyMemory memory = new BodyMemory(4 << 20, 4 << 20)) {
            byte[] body = body(1_000_000, 0);
            BodyBlocks blocks = received(memory, body);
            ByteBuf view = blocks.retainedView();
            blocks.close();
            assertEquals(0, memory.kept(), "still in flight");
            byte[] sent = new byte[body.length];
            view.readBytes(sent);
            assertArrayEquals(body, sent, "the forward reads the body after the request closed");
            assertTrue(view.release());
        }
    }

    /** A received buffer of {@code capacity} bytes holding {@code body}, as the decoder slices it. */
    private static ByteBuf receivedSlice(byte[] body, int capacity) {
        ByteBuf received = PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
        received.writeBytes(body);
        ByteBuf slice = received.retainedSlice();
        received.release();
        return slice;
    }

    @Test
    void aWellFilledReceivedBufferIsKeptAsItIsAndChargedItsCapacity() {
        try (BodyMemory memory = new BodyMemory(16 << 20, 16 << 20)) {
            byte[] body = body(40_000, 5);
            ByteBuf slice = receivedSlice(body, 65_536);
            try (BodyBlocks blocks = new BodyBlocks(memory, ByteBufAllocator.DEFAULT)) {
                assertTrue(blocks.append(slice, 65_536));
                assertEquals(65_536, memory.used(), "the whole received buffer is charged");
                assertArrayEquals(body, bytes(blocks, body.length));
                slice.setByte(0, 'Z');
                assertEquals('Z', blocks.nioBuffers().get(0).get(0), "the same memory, not a copy");
            }
            assertEquals(1, slice.refCnt(), "the body let go of it");
            assertEquals(0, memory.kept(), "a received buffer is never kept as a block for the next body");
            slice.release();
            assertEquals(0, memory.used());
        }
    }

    @Test
    void aMostlyEmptyOrSmallReceivedBufferIsCopied() {
        try (BodyMemory memory = new BodyMemory(16 << 20, 16 << 20)) {
            byte[] sparse = body(20_000, 1);
            byte[] small = body(3_000, 2);
            ByteBuf a = receivedSlice(sparse, 65_536);
            ByteBuf b = receivedSlice(small, 4_096);
            try (BodyBlocks blocks = new BodyBlocks(memory, ByteBufAllocator.DEFAULT)) {
                assertTrue(blocks.append(a, 65_536));
                assertTrue(blocks.append(b, 4_096));
                assertTrue(memory.used() < 65_536, "copied into blocks, not charged the sparse buffer: " + memory.used());
                byte[] both = Arrays.copyOf(sparse, sparse.length + small.length);
                System.arraycopy(small, 0, both, sparse.length, small.length);
                assertArrayEquals(both, bytes(blocks, both.length));
                assertEquals(1, a.refCnt(), "not held");
            }
            a.release();
            b.release();
        }
    }

    @Test
    void keptAndCopiedPiecesStayInOrder() {
        try (BodyMemory memory = new BodyMemory(16 << 20, 16 << 20)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (BodyBlocks blocks = new BodyBlocks(memory, ByteBufAllocator.DEFAULT)) {
                for (int i = 0; i < 40; i++) {
                    byte[] piece = body(i % 3 == 0 ? 60_000 : 1_000 + i * 97, i);
                    all.writeBytes(piece);
                    ByteBuf slice = receivedSlice(piece, i % 3 == 0 ? 65_536 : 16_384);
                    assertTrue(blocks.append(slice, i % 3 == 0 ? 65_536 : 16_384));
                    slice.release();
                }
                assertArrayEquals(all.toByteArray(), bytes(blocks, all.size()));
                ByteBuf view = blocks.retainedView();
                byte[] forwarded = new byte[view.readableBytes()];
                view.readBytes(forwarded);
                view.release();
                assertArrayEquals(all.toByteArray(), forwarded);
            }
            assertEquals(0, memory.used());
        }
    }
}
