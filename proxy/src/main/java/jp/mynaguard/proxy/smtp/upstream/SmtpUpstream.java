package jp.mynaguard.proxy.smtp.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import jp.mynaguard.proxy.io.NettyTransport;
import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.Upstream;
import jp.mynaguard.proxy.smtp.UpstreamCapabilities;
import jp.mynaguard.proxy.smtp.UpstreamObserver;
import jp.mynaguard.proxy.smtp.UpstreamTransaction;

/**
 * The organisation's smarthost as {@link Upstream}: a Netty SMTP client with pooled connections,
 * STARTTLS per {@link TlsMode}, AUTH when configured, and dot-stuffed CRLF-only DATA. Every
 * failure reaches the caller as a 4xx reply (see {@link UpstreamException}), never as an
 * exceptionally completed future.
 */
public final class SmtpUpstream implements Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpUpstream.class);
    private static final AttributeKey<UpstreamConnection> CONNECTION = AttributeKey.valueOf("mynaguard.upstream");
    /**
     * Until the smarthost has been asked, announce nothing we might not be able to honour
     * end to end (SMTPUTF8 in particular); {@link #probe()} learns the real set.
     */
    static final UpstreamCapabilities UNKNOWN = new UpstreamCapabilities(0, false, false);

    private final UpstreamConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Bootstrap bootstrap;
    private final SslContext sslContext;
    private final SessionSetup setup;
    private final ConnectionPool pool;
    private volatile UpstreamCapabilities capabilities = UNKNOWN;
    private volatile UpstreamObserver observer = UpstreamObserver.NONE;
    private volatile boolean closed;

    /** An upstream with its own event-loop threads ({@link UpstreamConfig#ioThreads()}). */
    public SmtpUpstream(UpstreamConfig config) {
        this(config, null);
    }

    /**
     * An upstream on the given event loops (e.g. the SMTP server's), which it does not shut down;
     * they must be of {@link NettyTransport}'s kind.
     */
    public SmtpUpstream(UpstreamConfig config, EventLoopGroup group) {
        this.config = Objects.requireNonNull(config, "config");
        this.ownsGroup = group == null;
        this.group = group != null ? group : new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("mynaguard-upstream", true), NettyTransport.ioHandlerFactory());
        this.sslContext = config.tls() == TlsMode.NONE ? null : clientContext(config);
        this.setup = new SessionSetup(config, sslContext);
        this.pool = new ConnectionPool(config);
        this.bootstrap = new Bootstrap()
                .group(this.group)
                .channel(NettyTransport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.attr(CONNECTION).set(new UpstreamConnection(ch, SmtpUpstream.this.config));
                    }
                });
    }

    private static SslContext clientContext(UpstreamConfig config) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    // The smarthost's name (or IP) must be in its certificate, not just any trusted one.
                    .endpointIdentificationAlgorithm("HTTPS");
            if (config.trustFile().isPresent()) {
                b.trustManager(config.trustFile().get().toFile());
            }
            return b.build();
        } catch (SSLException e) {
            throw new UncheckedIOException(new IOException("cannot set up TLS for the smarthost: " + e.getMessage(), e));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the smarthost trust file " + config.trustFile().get(), e);
        }
    }

    public UpstreamConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<UpstreamTransaction> begin(String mailFrom, Map<String, String> parameters) {
        Objects.requireNonNull(mailFrom, "mailFrom");
        Objects.requireNonNull(parameters, "parameters");
        if (closed) {
            return CompletableFuture.completedFuture(new ClosedTransaction(
                    SmtpReply.of(451, "4.3.2", "gateway shutting down")));
        }
        return begin(mailFrom, Map.copyOf(parameters), true);
    }

    private CompletableFuture<UpstreamTransaction> begin(String mailFrom, Map<String, String> parameters,
                                                         boolean mayReuse) {
        UpstreamConnection pooled = mayReuse ? pool.poll() : null;
        CompletableFuture<UpstreamConnection> ready = pooled != null ? CompletableFuture.completedFuture(pooled) : open();
        return ready
                .thenCompose(c -> SmtpUpstreamTransaction.start(c, pool, mailFrom, parameters, observer)
                        .handle((tx, t) -> {
                            if (t == null) {
                                if (pooled != null && tx.mailReply().code() == 421) {
                                    // The smarthost is closing the idle connection we took (its own idle
                                    // timeout): not an answer about this message, so one fresh try.
                                    return begin(mailFrom, parameters, false);
                                }
                                return CompletableFuture.completedFuture(tx);
                            }
                            c.close();
                            UpstreamException u = UpstreamException.find(t);
                            if (pooled != null && u != null && u.kind() == UpstreamException.Kind.CONNECTION_LOST) {
                                // The smarthost dropped the idle connection just as we took it: one fresh try.
                                return begin(mailFrom, parameters, false);
                            }
                            return CompletableFuture.<UpstreamTransaction>failedFuture(t);
                        })
                        .thenCompose(f -> f))
                .exceptionally(t -> new ClosedTransaction(UpstreamException.replyFor(t)));
    }

    /** Opens a new connection and takes it through the session setup. */
    private CompletableFuture<UpstreamConnection> open() {
        CompletableFuture<UpstreamConnection> ready = new CompletableFuture<>();
        ChannelFuture connect = bootstrap.connect(config.host(), config.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                LOG.warn("upstream {}: cannot connect: {}", config, f.cause().toString());
                observer.failed("unreachable");
                ready.completeExceptionally(UpstreamException.unreachable("cannot connect to the smarthost", f.cause()));
                return;
            }
            UpstreamConnection c = connect.channel().attr(CONNECTION).get();
            connect.channel().closeFuture().addListener(x -> pool.remove(c));
            setup.run(c).whenComplete((ok, t) -> {
                if (t != null) {
                    UpstreamException u = UpstreamException.find(t);
                    LOG.warn("upstream {}: session setup failed: {}", config, u != null ? u.getMessage() : t.toString());
                    observer.failed(UpstreamException.kindOf(t));
                    if (u != null && u.kind() == UpstreamException.Kind.TLS && u.getCause() != null) {
                        // A handshake that broke (not a smarthost without STARTTLS): its reason is a metric.
                        observer.tlsHandshakeFailed(u.getCause());
                    }
                    c.quit();
                    ready.completeExceptionally(t);
                } else {
                    capabilities = c.capabilities().toUpstreamCapabilities();
                    observer.reached();
                    ready.complete(c);
                }
            });
        });
        return ready;
    }

    /**
     * Connects once (EHLO, STARTTLS, AUTH as configured) to learn the smarthost's capabilities,
     * and leaves the connection in the pool. Call at start-up so our own EHLO is right from
     * the first client on; completes with {@link #capabilities()} (unchanged when it failed).
     */
    public CompletableFuture<UpstreamCapabilities> probe() {
        return open().handle((c, t) -> {
            if (c != null) {
                pool.release(c);
            }
            return capabilities;
        });
    }

    @Override
    public void observe(UpstreamObserver o) {
        this.observer = o == null ? UpstreamObserver.NONE : o;
    }

    /** A whole session setup (connect, EHLO, STARTTLS, AUTH); the connection then joins the pool. */
    @Override
    public CompletableFuture<Boolean> probeReachable() {
        if (closed) {
            return CompletableFuture.completedFuture(false);
        }
        return open().handle((c, t) -> {
            if (c != null) {
                pool.release(c);
            }
            return c != null;
        });
    }

    @Override
    public UpstreamCapabilities capabilities() {
        return capabilities;
    }

    /** Idle pooled connections (for tests and metrics). */
    int idleConnections() {
        return pool.idleCount();
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
