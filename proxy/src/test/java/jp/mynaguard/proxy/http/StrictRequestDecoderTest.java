package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;

import org.junit.jupiter.api.Test;

/** The decoder alone, in an EmbeddedChannel: framing, one request at a time, and what it hands on. */
class StrictRequestDecoderTest {
    private StrictRequestDecoder decoder;

    private EmbeddedChannel channel(long maxBody) {
        decoder = new StrictRequestDecoder(HttpProxyLimits.MAX_REQUEST_LINE, HttpProxyLimits.MAX_HEAD_BYTES,
                HttpProxyLimits.MAX_HEADER_FIELDS, maxBody);
        return new EmbeddedChannel(decoder);
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String body(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        Object m;
        while ((m = ch.readInbound()) != null) {
            if (m instanceof HttpContent c) {
                sb.append(c.content().toString(StandardCharsets.ISO_8859_1));
                boolean last = c instanceof LastHttpContent;
                c.release();
                if (last) {
                    return sb.toString();
                }
            }
        }
        throw new AssertionError("no last content");
    }

    @Test
    void aHeadArrivingOneByteAtATimeIsDecodedOnce() {
        EmbeddedChannel ch = channel(1000);
        String req = "POST http://o/x HTTP/1.1\r\nHost: o\r\nContent-Length: 3\r\n\r\nabc";
        for (char c : req.toCharArray()) {
            ch.writeInbound(bytes(String.valueOf(c)));
        }
        HttpRequest r = ch.readInbound();
        assertEquals(HttpMethod.POST, r.method());
        assertEquals("http://o/x", r.uri());
        assertEquals("abc", body(ch));
        assertEquals(StrictRequestDecoder.Phase.PAUSED, decoder.phase());
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelinedRequestsWaitUntilResumed() {
        EmbeddedChannel ch = channel(1000);
        ch.writeInbound(bytes("GET http://o/a HTTP/1.1\r\nHost: o\r\n\r\nGET http://o/b HTTP/1.1\r\nHost: o\r\n\r\n"));
        assertEquals("http://o/a", ((HttpRequest) ch.readInbound()).uri());
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, ch.readInbound());
        assertNull(ch.readInbound(), "the second request is not decoded while the first is being answered");
        decoder.resume();
        assertEquals("http://o/b", ((HttpRequest) ch.readInbound()).uri());
        ch.finishAndReleaseAll();
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() {
        EmbeddedChannel ch = channel(1000);
        ch.writeInbound(bytes("POST http://o/x HTTP/1.1\r\nHost: o\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;a=b\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n"));
        ch.readInbound();
        assertEquals("abc0123456789", body(ch));
        assertEquals(13, decoder.bodyBytes());
        ch.finishAndReleaseAll();
    }

    @Test
    void bytesAfterConnectFlowOnWhenTheDecoderIsRemoved() {
        EmbeddedChannel ch = channel(1000);
        byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5};
        ByteBuf in = bytes("CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n");
        in.writeBytes(hello);
        ch.writeInbound(in);
        HttpRequest connect = ch.readInbound();
        assertEquals(HttpMethod.CONNECT, connect.method());
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, ch.readInbound());
        assertNull(ch.readInbound());
        ch.pipeline().remove(decoder);
        ByteBuf rest = ch.readInbound();
        byte[] got = new byte[rest.readableBytes()];
        rest.readBytes(got);
        rest.release();
        assertEquals(java.util.Arrays.toString(hello), java.util.Arrays.toString(got));
        ch.finishAndReleaseAll();
    }

    @Test
    void aRejectionStopsEverything() {
        EmbeddedChannel ch = channel(10);
        ch.writeInbound(bytes("POST http://o/x HTTP/1.1\r\nHost: o\r\nContent-Length: 11\r\n\r\nhello world"));
        RequestRejected r = ch.readInbound();
        assertEquals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, r.status());
        ch.writeInbound(bytes("GET http://o/ HTTP/1.1\r\nHost: o\r\n\r\n"));
        assertNull(ch.readInbound(), "nothing after a rejection is decoded");
        assertEquals(StrictRequestDecoder.Phase.BROKEN, decoder.phase());
        ch.finishAndReleaseAll();
    }

    @Test
    void chunkSizeLines() throws Exception {
        assertEquals(0x1f, StrictRequestDecoder.chunkSize("1F"));
        assertEquals(3, StrictRequestDecoder.chunkSize("3 ; name=value"));
        assertThrows(RequestHeadParser.HeadException.class, () -> StrictRequestDecoder.chunkSize(""));
        assertThrows(RequestHeadParser.HeadException.class, () -> StrictRequestDecoder.chunkSize("0x3"));
        assertThrows(RequestHeadParser.HeadException.class, () -> StrictRequestDecoder.chunkSize("3 x"));
        assertThrows(RequestHeadParser.HeadException.class, () -> StrictRequestDecoder.chunkSize("1000000000000000"));
        assertThrows(RequestHeadParser.HeadException.class, () -> StrictRequestDecoder.chunkSize("3;a\u0000"));
    }

    @Test
    void headsOverTheLimitsAre414And431() {
        EmbeddedChannel ch = channel(10);
        ch.writeInbound(bytes("GET http://o/" + "a".repeat(HttpProxyLimits.MAX_REQUEST_LINE) + " HTTP/1.1\r\n"));
        assertEquals(HttpResponseStatus.REQUEST_URI_TOO_LONG, ((RequestRejected) ch.readInbound()).status());
        ch.finishAndReleaseAll();
        EmbeddedChannel ch2 = channel(10);
        ch2.writeInbound(bytes("GET http://o/ HTTP/1.1\r\nHost: o\r\n" + "X-A: b\r\n".repeat(HttpProxyLimits.MAX_HEADER_FIELDS)
                + "\r\n"));
        assertInstanceOf(RequestRejected.class, ch2.readInbound());
        ch2.finishAndReleaseAll();
    }
}
