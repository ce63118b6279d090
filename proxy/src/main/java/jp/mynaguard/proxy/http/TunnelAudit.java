package jp.mynaguard.proxy.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.AuditSink;
import jp.mynaguard.proxy.hold.MetadataMask;

/**
 * The audit records of CONNECT tunnels ({@link AuditEvent#TUNNEL}): every relayed tunnel with its
 * byte counts, every refusal with its reason, every client that rejected the interception
 * certificate. Host names come from the client, so digit runs that could be a My Number
 * ({@code NNNN-NNNN-NNNN.example}) are masked before they are written.
 */
final class TunnelAudit {
    /** The reason recorded when a client refuses our certificate: the admin may add the host to passthrough. */
    static final String CLIENT_REJECTED_CERTIFICATE = "client rejected interception certificate (pinning?)";

    private final AuditSink sink;

    TunnelAudit(AuditSink sink) {
        this.sink = sink;
    }

    void refused(String host, int port, ProxyUser user, SocketAddress client, String reason) {
        sink.record(base(host, port, user, client).action("refuse").field("reason", reason).build());
    }

    void relayed(TunnelRoute route, ConnectTarget target, ProxyUser user, SocketAddress client, InetSocketAddress origin,
                 ClientHelloInfo hello, long bytesSent, long bytesReceived, Duration duration, String error) {
        sink.record(base(target.host(), target.port(), user, client)
                .action(route == TunnelRoute.PASSTHROUGH ? "passthrough" : "plain-relay")
                .field("address", origin.getAddress().getHostAddress())
                .field("sni", hello == null ? null : masked(hello.serverName()))
                .field("alpn", hello == null ? null : hello.alpn())
                .field("bytes_sent", bytesSent)
                .field("bytes_received", bytesReceived)
                .field("duration_ms", duration.toMillis())
                .field("error", error)
                .build());
    }

    void interceptionRejected(ConnectTarget target, ProxyUser user, SocketAddress client, ClientHelloInfo hello, String alert) {
        sink.record(base(target.host(), target.port(), user, client)
                .action("intercept")
                .field("reason", CLIENT_REJECTED_CERTIFICATE)
                .field("sni", masked(hello.serverName()))
                .field("alert", alert)
                .build());
    }

    private static AuditEvent.Builder base(String host, int port, ProxyUser user, SocketAddress client) {
        return AuditEvent.of(AuditEvent.TUNNEL)
                .channel("http")
                .user(user.login())
                .field("client", client instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null)
                .field("host", masked(host))
                .field("port", port > 0 ? port : null);
    }

    /** Client-supplied names with My Number-like digit runs masked (IP literals have no such runs). */
    static String masked(String name) {
        return MetadataMask.mask(name);
    }
}
