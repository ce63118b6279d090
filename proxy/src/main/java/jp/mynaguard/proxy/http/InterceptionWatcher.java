package jp.mynaguard.proxy.http;

import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Locale;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Watches the client's handshake with our minted certificate. A client that refuses it (a pinned
 * app, a trust store without our CA) sends a fatal certificate alert or simply hangs up after
 * our Certificate message; either is recorded with the host, so the admin can install the CA there
 * or put the host on the passthrough list. Removes itself once the handshake succeeds.
 */
final class InterceptionWatcher extends ChannelInboundHandlerAdapter {
    /** TLS alerts that mean "I do not accept your certificate" (RFC 8446 §6.2), as JDK and OpenSSL name them. */
    private static final List<String> CERTIFICATE_ALERTS = List.of(
            "bad_certificate", "unsupported_certificate", "certificate_revoked", "certificate_expired",
            "certificate_unknown", "unknown_ca");
    static final String CLOSED_AFTER_CERTIFICATE = "none: connection closed after our certificate";

    private final TunnelAudit audit;
    private final ConnectTarget target;
    private final ProxyUser user;
    private final SocketAddress client;
    private final ClientHelloInfo hello;
    private final PlaintextAlertSniffer sniffer;

    InterceptionWatcher(TunnelAudit audit, ConnectTarget target, ProxyUser user, SocketAddress client, ClientHelloInfo hello,
                        PlaintextAlertSniffer sniffer) {
        this.sniffer = sniffer;
        this.audit = audit;
        this.target = target;
        this.user = user;
        this.client = client;
        this.hello = hello;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                ctx.pipeline().remove(sniffer);
                ctx.pipeline().remove(this);
            } else {
                String sniffed = sniffer.alert();
                String alert = sniffed != null && CERTIFICATE_ALERTS.contains(sniffed) ? sniffed : rejection(done.cause());
                if (alert != null) {
                    audit.interceptionRejected(target, user, client, hello, alert);
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Until the handshake succeeds, failures are the tunnel's: the SslHandler closes the
     * connection and the outcome is recorded above, so the exchange pipeline behind (which only
     * ever sees decrypted traffic) is not bothered with them.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * The certificate alert in a handshake failure, {@link #CLOSED_AFTER_CERTIFICATE} when the
     * client closed mid-handshake (our certificate was already sent: this handler exists only
     * after a complete ClientHello), or {@code null} for other failures.
     */
    static String rejection(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT).replace(' ', '_');
            for (String alert : CERTIFICATE_ALERTS) {
                if (m.contains(alert)) {
                    return alert;
                }
            }
            if (t instanceof ClosedChannelException || (m.contains("closed") && m.contains("handshake"))) {
                return CLOSED_AFTER_CERTIFICATE;
            }
        }
        return null;
    }
}
