package jp.mynaguard.proxy.console;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The pipeline of one console connection, head to tail:
 * <pre>
 *   limits     ConsoleConnectionLimiter  closes connections over the caps (shared)
 *  [tls]       SslHandler                HTTPS when bound beyond loopback
 *   idle       IdleStateHandler          a silent connection is closed after the idle timeout
 *   http       HttpServerCodec           request line and headers bounded
 *   headers    SecurityHeaders           CSP, no framing, no-store... on every response, 408 and 413 too (shared)
 *   deadline   RequestDeadline           a request must arrive whole in time (slow-loris), 408
 *   keepAlive  HttpServerKeepAliveHandler
 *   aggregate  HttpObjectAggregator      bodies over the limit get 413 unread
 *  [mounted]   handlers from ConsoleServer.Builder#mount (e.g. /metrics, /healthz), in order
 *   console    ConsoleHttpHandler        the console and its API
 * </pre>
 */
final class ConsoleChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ConsoleConfig config;
    private final ConsoleConnectionLimiter limiter;
    private final SecurityHeaders headers;
    private final ConsoleApp app;
    private final Executor workers;
    private final List<ConsoleServer.Mount> mounts;

    ConsoleChannelInitializer(ConsoleConfig config, ConsoleConnectionLimiter limiter, ConsoleApp app, Executor workers,
                              List<ConsoleServer.Mount> mounts) {
        this.config = config;
        this.limiter = limiter;
        this.headers = new SecurityHeaders(config.tls() != null);
        this.app = app;
        this.workers = workers;
        this.mounts = List.copyOf(mounts);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limits", limiter);
        if (config.tls() != null) {
            p.addLast("tls", config.tls().newHandler(ch.alloc()));
        }
        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(ConsoleLimits.MAX_INITIAL_LINE)
                .setMaxHeaderSize(ConsoleLimits.MAX_HEADER_BYTES)
                .setMaxChunkSize(8192)));
        p.addLast("headers", headers);
        p.addLast("deadline", new RequestDeadline(config.requestDeadline()));
        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
        p.addLast("aggregate", new HttpObjectAggregator(config.maxBodyBytes()));
        for (ConsoleServer.Mount m : mounts) {
            p.addLast(m.name(), m.handler().get());
        }
        p.addLast("console", new ConsoleHttpHandler(app, workers, config.tls() != null));
    }
}
