package jp.mynaguard.proxy.smtp.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link ClientCommand} as one line ending in CRLF. UTF-8, because with SMTPUTF8 the
 * addresses in MAIL and RCPT may be non-ASCII; everything else is ASCII anyway. Stateless.
 */
@Sharable
final class ClientCommandEncoder extends MessageToByteEncoder<ClientCommand> {
    static final ClientCommandEncoder INSTANCE = new ClientCommandEncoder();

    private ClientCommandEncoder() {
        super(ClientCommand.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ClientCommand cmd, ByteBuf out) {
        ByteBufUtil.writeUtf8(out, cmd.line());
        out.writeByte('\r').writeByte('\n');
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ClientCommand cmd, boolean preferDirect) {
        int size = ByteBufUtil.utf8MaxBytes(cmd.line()) + 2;
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }
}
