package jp.mynaguard.proxy.http;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Keeps every byte a client sends after its CONNECT while the destination is checked: the
 * ClientHello may arrive in the same packet as the CONNECT request and must neither be parsed as
 * HTTP nor be lost. When this handler is replaced, {@link ByteToMessageDecoder} hands what it
 * holds to the handler that takes its place.
 */
final class HeldBytes extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // Hold: nothing is decided until the 200 answer has been sent.
    }
}
