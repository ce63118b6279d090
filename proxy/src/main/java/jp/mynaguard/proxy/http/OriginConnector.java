package jp.mynaguard.proxy.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import jp.mynaguard.proxy.io.NettyTransport;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;

/**
 * Opens connections to origins: the name is resolved once on a worker, every address is checked
 * with the {@link DestinationGuard} (a name that resolves to 127.0.0.1 is refused like the
 * literal), the connection goes to the checked address (no second lookup that DNS rebinding
 * could change), on the client's own event loop. For {@link Origin#tls()} the TLS handshake with
 * SNI and host name verification must succeed before the channel is handed out.
 *
 * <p>Origin pipeline: {@code [tls] SslHandler, timeout ReadTimeoutHandler, codec HttpClientCodec,
 * chunks ChunkedWriteHandler}; the caller adds its response handler at the end.
 */
final class OriginConnector {
    /** Why no connection could be had, with the status and words the client is told. */
    static final class OriginException extends Exception {
        final boolean refused;
        final boolean certificate;

        OriginException(String message, boolean refused, boolean certificate, Throwable cause) {
            super(message, cause, false, false);
            this.refused = refused;
            this.certificate = certificate;
        }
    }

    private final HttpProxyConfig config;
    private final SslContext tls;
    private final Executor workers;

    OriginConnector(HttpProxyConfig config, SslContext tls, Executor workers) {
        this.config = config;
        this.tls = tls;
        this.workers = workers;
    }

    /** Completes (on {@code loop}) with a connected, handshaken channel, or an {@link OriginException}. */
    CompletableFuture<Channel> connect(Origin origin, EventLoop loop) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        CompletableFuture<InetAddress> resolved;
        try {
            resolved = CompletableFuture.supplyAsync(() -> resolve(origin.host()), workers);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new OriginException("the gateway is busy", false, false, e));
            return result;
        }
        resolved.whenComplete((address, error) -> loop.execute(() -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                result.completeExceptionally(cause instanceof OriginException oe ? oe
                        : new OriginException("cannot resolve " + origin.host(), false, false, cause));
                return;
            }
            open(origin, new InetSocketAddress(address, origin.port()), loop, result);
        }));
        return result;
    }

    private InetAddress resolve(String host) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(
                    new OriginException("unknown host " + host, false, false, e));
        }
        for (InetAddress a : all) {
            if (!config.destinations().allowed(a)) {
                // One internal address is enough to refuse: which one a retry would get is up to DNS.
                throw new java.util.concurrent.CompletionException(new OriginException(
                        host + " is in an internal network", true, false, null));
            }
        }
        return all[0];
    }

    private void open(Origin origin, InetSocketAddress address, EventLoop loop, CompletableFuture<Channel> result) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(NettyTransport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.originConnectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                // Like client connections (ProxyChannelInitializer): the TLS handler's output buffers for
                // a re-encrypted upload came from the adaptive allocator, which zeroed fresh chunks for them.
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (origin.tls()) {
                            // Certificate checks inline: run on another thread they can lose the race against
                            // the origin closing, and the failure would read "connection closed", not why.
                            SslHandler ssl = tls.newHandler(ch.alloc(), origin.host(), origin.port(),
                                    io.netty.util.concurrent.ImmediateExecutor.INSTANCE);
                            ssl.setHandshakeTimeout(config.originConnectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ch.pipeline().addLast("timeout", new ReadTimeoutHandler(
                                config.originResponseTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("codec", new HttpClientCodec());
                        ch.pipeline().addLast("chunks", new ChunkedWriteHandler());
                    }
                });
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(new OriginException("cannot connect to " + origin.host() + ":"
                        + origin.port() + " (" + done.cause().getMessage() + ")", false, false, done.cause()));
                return;
            }
            Channel ch = f.channel();
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                result.complete(ch);
                return;
            }
            ssl.handshakeFuture().addListener(hs -> {
                if (hs.isSuccess()) {
                    result.complete(ch);
                } else {
                    ch.close();
                    Throwable c = hs.cause();
                    boolean cert = c instanceof SSLHandshakeException || c.getCause() instanceof
                            java.security.cert.CertificateException;
                    result.completeExceptionally(new OriginException(certificateReason(c), false, cert, c));
                }
            });
        });
    }

    /** A short reason for the page: the innermost message (PKIX path, name mismatch, expiry). */
    static String certificateReason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
