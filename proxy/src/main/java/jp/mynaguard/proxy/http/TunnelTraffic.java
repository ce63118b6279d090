package jp.mynaguard.proxy.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * The bytes of one relayed tunnel, both ways, and its audit record once both sides have closed.
 * Both relay sides run on the client channel's event loop (the origin channel is registered on
 * it), so the counters need no synchronisation.
 */
final class TunnelTraffic {
    private final TunnelAudit audit;
    private final TunnelRoute route;
    private final ConnectTarget target;
    private final ProxyUser user;
    private final SocketAddress client;
    private final InetSocketAddress origin;
    private final ClientHelloInfo hello;
    private final long started = System.nanoTime();
    private long sent;
    private long received;
    private int openSides = 2;
    private String error;

    TunnelTraffic(TunnelAudit audit, TunnelRoute route, ConnectTarget target, ProxyUser user, SocketAddress client,
                  InetSocketAddress origin, ClientHelloInfo hello) {
        this.audit = audit;
        this.route = route;
        this.target = target;
        this.user = user;
        this.client = client;
        this.origin = origin;
        this.hello = hello;
    }

    /** Bytes from the client towards the origin (uploads). */
    void sent(int n) {
        sent += n;
    }

    /** Bytes from the origin back to the client. */
    void received(int n) {
        received += n;
    }

    void failed(Throwable cause) {
        if (error == null) {
            error = cause.getClass().getSimpleName();
        }
    }

    /** One side closed; the record is written when the second does. */
    void sideClosed() {
        if (--openSides == 0) {
            audit.relayed(route, target, user, client, origin, hello, sent, received,
                    Duration.ofNanos(System.nanoTime() - started), error);
        }
    }
}
