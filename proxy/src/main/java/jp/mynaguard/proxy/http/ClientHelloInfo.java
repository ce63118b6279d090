package jp.mynaguard.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;

/**
 * What the tunnel decision needs from a TLS ClientHello: the server name (SNI) and the offered
 * application protocols (ALPN). Parsed from the handshake body Netty's
 * {@link io.netty.handler.ssl.SslClientHelloHandler} hands over (after the 4-byte handshake
 * header), with every length checked against what is left.
 *
 * @param serverName the SNI host_name in lower case without a trailing dot; {@code null} when absent
 *                   (as for clients connecting to IP literals)
 * @param alpn       offered protocols in the client's order; empty when the extension is absent
 */
public record ClientHelloInfo(String serverName, List<String> alpn) {
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int SNI_HOST_NAME = 0;

    public ClientHelloInfo {
        alpn = List.copyOf(alpn);
    }

    /**
     * @param body the ClientHello body (legacy_version onwards); not consumed
     * @throws IllegalArgumentException when a length field points past the end
     */
    public static ClientHelloInfo parse(ByteBuf body) {
        Reader r = new Reader(body);
        r.skip(2 + 32);                 // legacy_version, random
        r.skip(r.u8());                 // legacy_session_id
        r.skip(r.u16());                // cipher_suites
        r.skip(r.u8());                 // legacy_compression_methods
        String sni = null;
        List<String> alpn = new ArrayList<>();
        if (r.remaining() == 0) {
            return new ClientHelloInfo(null, alpn);  // no extensions at all (old clients)
        }
        int end = r.pos + r.u16();
        r.check(end);
        while (r.pos < end) {
            int type = r.u16();
            int len = r.u16();
            int extEnd = r.pos + len;
            r.check(extEnd);
            if (type == EXT_SERVER_NAME && sni == null) {
                sni = serverName(r, extEnd);
            } else if (type == EXT_ALPN) {
                int listEnd = r.pos + r.u16();
                r.check(listEnd);
                while (r.pos < listEnd) {
                    int n = r.u8();
                    alpn.add(r.ascii(n));
                }
            }
            r.pos = extEnd;
        }
        return new ClientHelloInfo(sni, alpn);
    }

    private static String serverName(Reader r, int extEnd) {
        int listEnd = r.pos + r.u16();
        r.check(Math.min(listEnd, extEnd));
        while (r.pos < listEnd) {
            int nameType = r.u8();
            int n = r.u16();
            if (nameType == SNI_HOST_NAME) {
                String name = r.ascii(n).toLowerCase(Locale.ROOT);
                return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            }
            r.skip(n);
        }
        return null;
    }

    /** Bounds-checked big-endian reads over a slice of the buffer (absolute indexes, nothing consumed). */
    private static final class Reader {
        private final ByteBuf buf;
        private final int limit;
        int pos;

        Reader(ByteBuf buf) {
            this.buf = buf;
            this.pos = buf.readerIndex();
            this.limit = buf.writerIndex();
        }

        int remaining() {
            return limit - pos;
        }

        void check(int end) {
            if (end > limit || end < pos) {
                throw new IllegalArgumentException("ClientHello field runs past its end");
            }
        }

        void skip(int n) {
            check(pos + n);
            pos += n;
        }

        int u8() {
            check(pos + 1);
            return buf.getUnsignedByte(pos++);
        }

        int u16() {
            check(pos + 2);
            int v = buf.getUnsignedShort(pos);
            pos += 2;
            return v;
        }

        String ascii(int n) {
            check(pos + n);
            String s = buf.toString(pos, n, StandardCharsets.US_ASCII);
            pos += n;
            return s;
        }
    }
}
