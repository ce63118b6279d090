package jp.mynaguard.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;

/**
 * A tunnel's route with what it needs ready: the TLS context for interception, or the connected
 * origin channel for a relay.
 */
record TunnelPlan(TunnelRoute route, ClientHelloInfo hello, SslContext tls, Channel origin) {
    static TunnelPlan refuse(TunnelRoute route, ClientHelloInfo hello) {
        return new TunnelPlan(route, hello, null, null);
    }
}
