package jp.mynaguard.proxy.http;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The few HTTP responses a CONNECT tunnel writes, encoded here as bytes: by the time they are
 * sent the caller's HTTP codec has left the pipeline. Bodies are short plain text, Japanese first
 * and English after, so a person reading a tool's error output understands why.
 */
final class TunnelResponses {
    private TunnelResponses() {
    }

    /** The 200 answer: no Content-Length and no Transfer-Encoding (RFC 9110 §9.3.6), the tunnel follows. */
    static ByteBuf established(ByteBufAllocator alloc) {
        ByteBuf b = alloc.buffer(64);
        b.writeCharSequence("HTTP/1.1 200 Connection Established\r\n\r\n", StandardCharsets.US_ASCII);
        return b;
    }

    static ByteBuf badTarget(ByteBufAllocator alloc) {
        return error(alloc, 400, "Bad Request", "CONNECT の宛先は host:port の形式で指定してください。",
                "CONNECT needs a host:port target (authority-form).");
    }

    static ByteBuf portNotAllowed(ByteBufAllocator alloc, int port) {
        return error(alloc, 403, "Forbidden", "ポート " + port + " への接続は許可されていません。",
                "Tunnels to port " + port + " are not allowed.");
    }

    static ByteBuf internalDestination(ByteBufAllocator alloc) {
        return error(alloc, 403, "Forbidden", "社内ネットワークやループバックのアドレスへの接続は許可されていません。",
                "Tunnels to internal or loopback addresses are not allowed.");
    }

    static ByteBuf unresolvable(ByteBufAllocator alloc) {
        return error(alloc, 502, "Bad Gateway", "宛先のホスト名を解決できません。",
                "The destination host name cannot be resolved.");
    }

    static ByteBuf notTls(ByteBufAllocator alloc) {
        return error(alloc, 403, "Forbidden", "このトンネルでは TLS 以外の通信は許可されていません。",
                "Only TLS is allowed in this tunnel; the traffic was not forwarded.");
    }

    private static ByteBuf error(ByteBufAllocator alloc, int status, String reason, String japanese, String english) {
        byte[] body = (japanese + "\n" + english + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        ByteBuf b = alloc.buffer(head.length() + body.length);
        b.writeCharSequence(head, StandardCharsets.US_ASCII);
        b.writeBytes(body);
        return b;
    }
}
