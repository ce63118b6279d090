package jp.mynaguard.proxy.http;

import io.netty.channel.ChannelPipeline;

/**
 * Installs the request-handling handlers (hygiene, inspection, decision, forwarding) on a client
 * pipeline that carries decrypted HTTP/1.1 from an intercepted CONNECT tunnel. Requests on it are
 * origin-form and are forwarded to {@code origin} only, over TLS with the origin's certificate
 * verified.
 */
@FunctionalInterface
public interface ExchangePipeline {
    void install(ChannelPipeline pipeline, Origin origin, ProxyUser user);
}
