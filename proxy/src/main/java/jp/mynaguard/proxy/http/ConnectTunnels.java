package jp.mynaguard.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Takes over a client connection after its {@code CONNECT} request passed request hygiene and
 * proxy authentication: checks the authority, port and destination, answers, reads the
 * ClientHello, then passes the tunnel through or intercepts it and hands the decrypted stream to
 * an {@link ExchangePipeline}. The caller removes its HTTP codec handlers after this call returns
 * and forwards no more bytes itself.
 *
 * <p>Precisely (what {@link TunnelOpener} relies on): {@code open} is called from the caller's
 * {@code channelRead} with the CONNECT request, and the HTTP codec is removed before that
 * {@code channelRead} returns, so bytes that came with the request (a ClientHello in the same
 * segment) reach the tunnel and are not parsed as HTTP. The tunnel then owns the connection: it
 * removes the calling handler ({@code ctx.handler()}) from the pipeline one event-loop task later
 * and adds its own; per-connection accounting belongs in front of the codec. Responses are
 * written by the tunnel ({@code 200}, or {@code 400/403/502} with a reason).
 */
@FunctionalInterface
public interface ConnectTunnels {
    void open(ChannelHandlerContext ctx, HttpRequest connect, ProxyUser user);
}
