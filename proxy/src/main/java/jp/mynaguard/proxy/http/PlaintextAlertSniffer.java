package jp.mynaguard.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Notes the description of an unencrypted TLS alert record the client sends during the
 * handshake, in front of the SslHandler. Needed because some clients (curl with OpenSSL 3 under
 * TLS 1.3) send their "unknown CA" alert in plaintext after our ServerHello, which the JDK engine,
 * already expecting encrypted records, reports only as a decryption error: the alert that says
 * "this client does not trust our certificate" would be lost. Bytes pass on untouched.
 * Walks record headers across reads; removed with the watcher once the handshake succeeds.
 */
final class PlaintextAlertSniffer extends ChannelInboundHandlerAdapter {
    private static final int ALERT = 21;
    private static final int HEADER = 5;

    private final byte[] header = new byte[HEADER + 2];
    private int headerFill;
    private int skip;
    private int description = -1;
    private boolean lost;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && description < 0 && !lost) {
            walk(b);
        }
        ctx.fireChannelRead(msg);
    }

    private void walk(ByteBuf b) {
        int i = b.readerIndex();
        int end = b.writerIndex();
        while (i < end && description < 0 && !lost) {
            if (skip > 0) {
                int n = Math.min(skip, end - i);
                skip -= n;
                i += n;
                continue;
            }
            header[headerFill++] = b.getByte(i++);
            if (headerFill == HEADER) {
                if (header[1] != 3) {
                    // Not a record header (TLS records are version 3.x): out of step, stop looking.
                    lost = true;
                    return;
                }
                int type = header[0] & 0xff;
                int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                if (type != ALERT || length != 2) {
                    headerFill = 0;
                    skip = length;
                }
            } else if (headerFill == HEADER + 2) {
                // A plaintext alert: level (1 warning, 2 fatal), description.
                int level = header[HEADER] & 0xff;
                if (level == 1 || level == 2) {
                    description = header[HEADER + 1] & 0xff;
                } else {
                    lost = true;
                }
                headerFill = 0;
            }
        }
    }

    /** The alert's name as TLS calls it (RFC 8446 §6), {@code null} when none was seen. */
    String alert() {
        return switch (description) {
            case -1 -> null;
            case 0 -> "close_notify";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 48 -> "unknown_ca";
            case 70 -> "protocol_version";
            case 80 -> "internal_error";
            default -> "alert " + description;
        };
    }
}
