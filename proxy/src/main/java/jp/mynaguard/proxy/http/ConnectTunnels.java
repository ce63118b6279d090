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
 * <p>How the HTTP proxy calls it ({@link HttpProxyServer}): on the client's event loop, after
 * request hygiene and proxy authentication, with its HTTP response encoder still in the pipeline
 * (so the {@code 200} is written as an {@link io.netty.handler.codec.http.HttpResponse}, not as
 * bytes). Add the tunnel's handlers with {@code addLast}: when the proxy then removes its decoder,
 * the bytes it had read past the CONNECT head (a ClientHello in the same packet) flow on to them.
 * The child channel's auto-read is off; the tunnel asks for reads itself (or turns it on).
 * {@link ExchangePipeline#install} must run after this call has returned (its handler names are
 * the proxy's own).
 */
@FunctionalInterface
public interface ConnectTunnels {
    void open(ChannelHandlerContext ctx, HttpRequest connect, ProxyUser user);
}
