package jp.mynaguard.proxy.http;

import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLException;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.util.concurrent.UncheckedExecutionException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import jp.mynaguard.certs.CertificateAuthority;
import jp.mynaguard.certs.HostCertificates;

/**
 * The TLS server contexts for intercepted tunnels, one per CONNECT host, cached (bounded LRU)
 * over {@link HostCertificates}: building a context costs key-manager set-up on top of minting,
 * and a browser opens many tunnels to the same host. A host not seen before is prepared on a
 * worker thread, never on the event loop; a burst of tunnels to it prepares it once.
 *
 * <p>ALPN offers http/1.1 only: the inspection pipeline speaks HTTP/1.1, and a client that
 * offers only h2 gets no ALPN answer rather than a protocol we cannot read.
 */
final class InterceptionContexts {
    private static final ApplicationProtocolConfig HTTP_1_1_ONLY = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    private final LoadingCache<String, SslContext> cache;
    private final Executor workers;

    InterceptionContexts(HostCertificates certificates, int maxEntries, Executor workers) {
        this.workers = workers;
        this.cache = CacheBuilder.newBuilder()
                .maximumSize(maxEntries)
                .build(new CacheLoader<>() {
                    @Override
                    public SslContext load(String host) throws GeneralSecurityException, SSLException {
                        CertificateAuthority.ServerCertificate leaf = certificates.forHost(host);
                        return SslContextBuilder.forServer(leaf.key(), leaf.chain())
                                .applicationProtocolConfig(HTTP_1_1_ONLY)
                                .build();
                    }
                });
    }

    /** The context for {@code host}, completed on {@code executor} (at once when cached). */
    Future<SslContext> contextFor(String host, EventExecutor executor) {
        SslContext cached = cache.getIfPresent(host);
        if (cached != null) {
            return executor.newSucceededFuture(cached);
        }
        Promise<SslContext> p = executor.newPromise();
        try {
            workers.execute(() -> {
                try {
                    p.trySuccess(cache.get(host));
                } catch (ExecutionException | UncheckedExecutionException e) {
                    p.tryFailure(e.getCause());
                } catch (RuntimeException e) {
                    p.tryFailure(e);
                }
            });
        } catch (RejectedExecutionException e) {
            p.tryFailure(e);
        }
        return p;
    }
}
