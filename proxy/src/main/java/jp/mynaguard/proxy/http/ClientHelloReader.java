package jp.mynaguard.proxy.http;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Reads the client's first bytes in the tunnel without consuming them (mitmproxy's
 * ClientHello-first design): a whole ClientHello, possibly spread over several records, is parsed
 * for SNI and ALPN and the {@link TunnelSession} decides; non-TLS bytes are judged as such.
 * Whatever comes next (SslHandler or relay) replaces this handler and receives every byte it held.
 * The ClientHello must be complete within the configured deadline, counted from the 200 answer.
 */
final class ClientHelloReader extends SslClientHelloHandler<TunnelPlan> {
    private static final int TLS_HANDSHAKE_RECORD = 22;

    private final TunnelSession session;
    private ScheduledFuture<?> deadline;
    private boolean decided;
    private boolean discard;

    ClientHelloReader(TunnelSession session) {
        super(session.settings().maxClientHelloBytes());
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long millis = session.settings().clientHelloTimeout().toMillis();
        deadline = ctx.executor().schedule(() -> {
            if (!decided) {
                decided = true;
                session.noClientHello(ctx);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (discard) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (decided) {
            // The plan is being prepared: keep the bytes for whoever takes over.
            return;
        }
        super.decode(ctx, in, out);
    }

    /** For a refused tunnel: what the client sent is dropped, and so is anything it still sends. */
    void discardInput() {
        discard = true;
        ByteBuf held = internalBuffer();
        held.skipBytes(held.readableBytes());
    }

    @Override
    protected Future<TunnelPlan> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        decided = true;
        deadline.cancel(false);
        if (clientHello == null) {
            ByteBuf held = internalBuffer();
            boolean tls = held.isReadable() && held.getUnsignedByte(held.readerIndex()) == TLS_HANDSHAKE_RECORD;
            return session.prepareWithoutHello(ctx.executor(), tls);
        }
        ClientHelloInfo hello;
        try {
            hello = ClientHelloInfo.parse(clientHello);
        } catch (IllegalArgumentException e) {
            return ctx.executor().newSucceededFuture(TunnelPlan.refuse(TunnelRoute.REFUSE_MALFORMED, null));
        }
        return session.prepare(ctx.executor(), hello);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<TunnelPlan> future) {
        session.apply(ctx, this, future);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Too long a ClientHello, or not TLS in a way Netty refuses outright (it closes the channel).
        if (!decided) {
            decided = true;
            deadline.cancel(false);
        }
        session.brokenHello(ctx, cause);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        if (deadline != null) {
            deadline.cancel(false);
        }
        super.handlerRemoved0(ctx);
    }
}
