package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import jp.mynaguard.policy.extract.InputSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a request body is kept: in memory blocks while {@link BodyMemory} allows, else in the
 * spool file, moved there whole when the budget runs out halfway; the bytes read back, scanned
 * and forwarded are the same either way, and the memory is given back.
 */
class SpooledRequestTest {
    @TempDir
    Path dir;
    /** Budgets the test made; closed after it, freeing the blocks they keep for reuse. */
    private final List<BodyMemory> memories = new ArrayList<>();

    private BodyMemory memory(long perBody, long total) {
        BodyMemory m = new BodyMemory(perBody, total);
        memories.add(m);
        return m;
    }

    @AfterEach
    void freeKeptBlocks() {
        memories.forEach(BodyMemory::close);
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i * 7 % 26);
        }
        return b;
    }

    private SpooledRequest receive(byte[] body, BodyMemory memory, int chunk) throws IOException {
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "http://files.example/up");
        head.headers().set("Content-Type", "text/plain");
        try (SpooledRequest.Writer w = new SpooledRequest.Writer(head, RequestTarget.absolute("http://files.example/up"),
                memory, ByteBufAllocator.DEFAULT, dir)) {
            for (int at = 0; at < body.length; at += chunk) {
                ByteBuf c = Unpooled.wrappedBuffer(body, at, Math.min(chunk, body.length - at));
                w.write(c, 0);
                c.release();
            }
            assertEquals(body.length, w.bodyBytes());
            return w.finish();
        }
    }

    private static byte[] forwarded(Object out) throws Exception {
        if (out instanceof LastHttpContent last) {
            byte[] b = new byte[last.content().readableBytes()];
            last.content().getBytes(last.content().readerIndex(), b);
            last.release();
            return b;
        }
        if (out instanceof FileRegion region) {
            java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
            java.nio.channels.WritableByteChannel ch = java.nio.channels.Channels.newChannel(sink);
            while (region.transferred() < region.count()) {
                region.transferTo(ch, region.transferred());
            }
            region.release();
            return sink.toByteArray();
        }
        throw new AssertionError("unexpected " + out);
    }

    private static void assertContent(SpooledRequest r, byte[] body) throws IOException {
        try (InputStream in = r.openBody()) {
            assertArrayEquals(body, in.readAllBytes());
        }
        try (InputSource all = r.content(); InputStream in = all.openStream()) {
            byte[] request = in.readAllBytes();
            String head = new String(request, 0, request.length - body.length, StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("PUT /up HTTP/1.1\r\nHost: files.example\r\n"), head);
            assertArrayEquals(body, Arrays.copyOfRange(request, request.length - body.length, request.length));
        }
    }

    private long spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aBodyWithinTheBudgetStaysInMemoryAndIsForwardedFromIt() throws Exception {
        BodyMemory memory = memory(1 << 20, 8 << 20);
        byte[] body = body(300_001);
        try (SpooledRequest r = receive(body, memory, 7_001)) {
            assertTrue(memory.used() >= body.length, "blocks are reserved");
            assertEquals(0, spoolFiles(), "no spool file");
            assertContent(r, body);
            assertArrayEquals(body, forwarded(r.forwardBody(true)));
            assertArrayEquals(body, forwarded(r.forwardBody(false)));
        }
        assertEquals(0, memory.used(), "given back on close");
    }

    @Test
    void whenTheSharedBudgetRunsOutHalfwayTheBodyMovesToTheSpoolFileWhole() throws Exception {
        BodyMemory memory = memory(1 << 20, 100_000);
        byte[] body = body(400_000);
        try (SpooledRequest r = receive(body, memory, 9_999)) {
            assertEquals(0, memory.used(), "the blocks went with the spill");
            assertEquals(1, spoolFiles());
            assertContent(r, body);
            Object plain = r.forwardBody(true);
            assertInstanceOf(FileRegion.class, plain, "sendfile to a plain-HTTP origin");
            assertArrayEquals(body, forwarded(plain));
            Object tls = r.forwardBody(false);
            assertInstanceOf(HttpChunkedInput.class, tls);
            ((HttpChunkedInput) tls).close();
        }
        assertEquals(0, spoolFiles(), "the spool file goes with the request");
    }

    @Test
    void aBodyLargerThanItsOwnCapGoesToTheSpoolFile() throws Exception {
        BodyMemory memory = memory(64 * 1024, 1L << 30);
        byte[] body = body(200_000);
        try (SpooledRequest r = receive(body, memory, 65_536)) {
            assertEquals(0, memory.used());
            assertEquals(1, spoolFiles());
            assertContent(r, body);
        }
        assertEquals(0, spoolFiles());
    }

    @Test
    void anAbandonedRequestGivesItsMemoryBack() throws IOException {
        BodyMemory memory = memory(1 << 20, 8 << 20);
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "http://files.example/up");
        ByteBuf received = PooledByteBufAllocator.DEFAULT.directBuffer(65_536);
        received.writeBytes(body(60_000));
        try (SpooledRequest.Writer w = new SpooledRequest.Writer(head, RequestTarget.absolute("http://files.example/up"),
                memory, ByteBufAllocator.DEFAULT, dir)) {
            w.write(Unpooled.wrappedBuffer(body(50_000)), 0);
            w.write(received, received.capacity()); // kept as it is
            assertTrue(memory.used() >= 50_000 + 65_536);
            assertEquals(2, received.refCnt());
        }
        assertEquals(0, memory.used());
        assertEquals(1, received.refCnt(), "the kept received buffer was let go of");
        received.release();
        assertFalse(memory.tryReserve(9L << 20), "the budget is a limit");
        assertTrue(memory.tryReserve(8L << 20));
    }

    @Test
    void anEmptyBodyForwardsTheEmptyLastContent() throws Exception {
        try (SpooledRequest r = receive(new byte[0], memory(1 << 20, 1 << 20), 1)) {
            assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, r.forwardBody(true));
            try (InputStream in = r.openBody()) {
                assertEquals(-1, in.read());
            }
        }
    }
}
