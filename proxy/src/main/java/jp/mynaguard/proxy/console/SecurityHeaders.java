package jp.mynaguard.proxy.console;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Headers every answer of the listener carries, pages, API, assets, the aggregator's 413 and
 * whatever a mounted handler writes: scripts and styles from this console only (a subject with
 * markup that slipped through escaping still could not run), no framing (clickjacking), no
 * content-type guessing, no referrer to other sites (item URLs stay in the console; {@code same-origin}
 * rather than {@code no-referrer}, under which browsers send {@code Origin: null} and the console's
 * same-origin check could not tell its own forms from others), and by default no caching
 * (pages show held mail). Over HTTPS also HSTS.
 */
@ChannelHandler.Sharable
final class SecurityHeaders extends ChannelOutboundHandlerAdapter {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final boolean https;

    SecurityHeaders(boolean https) {
        this.https = https;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r) {
            HttpHeaders h = r.headers();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Frame-Options", "DENY");
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "same-origin");
            h.set("Cross-Origin-Opener-Policy", "same-origin");
            if (!h.contains(HttpHeaderNames.CACHE_CONTROL)) {
                h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            }
            if (https) {
                h.set("Strict-Transport-Security", "max-age=31536000");
            }
        }
        ctx.write(msg, promise);
    }
}
