package jp.mynaguard.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Takes over a client connection after its {@code CONNECT} request passed request hygiene and
 * proxy authentication: checks the authority, port and destination, answers, reads the
 * ClientHello, then passes the tunnel through or intercepts it and hands the decrypted stream to
 * an {@link ExchangePipeline}. The caller removes its HTTP codec handlers after this call returns
 * and forwards no more bytes itself.
 */
@FunctionalInterface
public interface ConnectTunnels {
    void open(ChannelHandlerContext ctx, HttpRequest connect, ProxyUser user);
}
