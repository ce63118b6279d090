package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Full-size blocks of a finished body are kept for the next one, inside the budget: reserved
 * plus kept never passes it, a reservation that needs their room frees them, a reused block
 * carries nothing of the body before, and a block a forward still reads is not kept.
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
}
