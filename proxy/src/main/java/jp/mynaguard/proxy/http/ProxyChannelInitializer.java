package jp.mynaguard.proxy.http;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * A client connection's pipeline, head to tail:
 * <pre>
 * limits     ClientConnectionLimiter  caps overall and per client address (503 and close)
 * [tls]      SslHandler               only inside an intercepted tunnel (added by the tunnel)
 * deadlines  ConnectionDeadlines      head deadline, minimum body rate, idle keep-alive
 * decoder    StrictRequestDecoder     strict framing, one request at a time, reads on demand
 * encoder    HttpResponseEncoder      our pages and the relayed responses
 * exchange   ClientExchange           auth, spool, decide, forward, relay
 * </pre>
 * The same handlers (minus the limiter) serve an intercepted tunnel's decrypted stream
 * ({@link HttpExchangePipeline}).
 */
final class ProxyChannelInitializer extends ChannelInitializer<Channel> {
    static final String DEADLINES = "http-deadlines";
    static final String DECODER = "http-decoder";
    static final String ENCODER = "http-encoder";
    static final String EXCHANGE = "http-exchange";

    /** Sharable: each channel gets its own handle. */
    private static final AdaptiveRecvByteBufAllocator RECEIVE_BUFFERS =
            new AdaptiveRecvByteBufAllocator(64, 2048, HttpProxyLimits.RECEIVE_BUFFER_MAX);

    private final ProxyServices services;
    private final ClientConnectionLimiter limiter;
    private final ChannelGroup connections;

    ProxyChannelInitializer(ProxyServices services, ClientConnectionLimiter limiter, ChannelGroup connections) {
        this.services = services;
        this.limiter = limiter;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        // Received buffers from the pooled allocator, at most RECEIVE_BUFFER_MAX each: a request body
        // keeps them as they arrive (BodyBlocks), and a pooled buffer held that way pins only itself.
        ch.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        ch.config().setRecvByteBufAllocator(RECEIVE_BUFFERS);
        connections.add(ch);
        ch.pipeline().addLast("http-limits", limiter);
        install(ch.pipeline(), services, null, null);
    }

    /** Adds the request handlers at the end of {@code p}; {@code origin} and {@code user} are set inside a tunnel. */
    static void install(ChannelPipeline p, ProxyServices services, Origin origin, ProxyUser user) {
        StrictRequestDecoder decoder = new StrictRequestDecoder(services.config());
        p.addLast(DEADLINES, new ConnectionDeadlines(services.config(), decoder));
        p.addLast(DECODER, decoder);
        p.addLast(ENCODER, new HttpResponseEncoder());
        p.addLast(EXCHANGE, new ClientExchange(services, decoder, origin, user));
    }

    /** Removes the request handlers, the decoder last so that bytes it still holds flow on. */
    static void removeHttpHandlers(ChannelPipeline p) {
        for (String name : new String[] {EXCHANGE, ENCODER, DEADLINES, DECODER}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}
