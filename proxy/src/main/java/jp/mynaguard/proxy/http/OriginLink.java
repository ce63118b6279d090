package jp.mynaguard.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import jp.mynaguard.policy.rules.NumberGuard;

/**
 * A client connection's link to its current origin: one origin connection, kept between requests
 * to the same origin while both sides allow it (a page's requests reuse it), replaced when the
 * next request goes elsewhere. Sends one request (head, then the spooled body) and relays the
 * response with a {@link ResponseRelay}.
 */
final class OriginLink {
    /** How one forward ended. */
    interface Done {
        void finished(boolean clientMustClose);

        /** {@code page}: answer with it (nothing was sent to the client yet); null: close the client. */
        void failed(FullHttpResponse page);

        /** A WebSocket upgrade went through: the connection to {@code origin} now belongs to the byte relay. */
        void upgraded(Channel origin);
    }

    private final ProxyServices s;
    private Channel channel;
    private Origin origin;
    private ResponseRelay relay;
    private boolean closed;

    OriginLink(ProxyServices services) {
        this.s = services;
    }

    /**
     * Called on the client's event loop; {@code body} is from {@link SpooledRequest#forwardBody}:
     * an HttpChunkedInput, a FileRegion or the empty last content.
     */
    void send(Channel client, Origin to, HttpRequest request, Object body, boolean head, boolean http10,
              boolean keepAlive, boolean json, boolean upgrade, Done done) {
        if (channel != null && channel.isActive() && to.equals(origin)) {
            write(client, request, body, head, http10, keepAlive, json, upgrade, done);
            return;
        }
        closeChannel();
        s.connector().connect(to, client.eventLoop()).whenComplete((ch, error) -> {
            if (error != null) {
                discard(body);
                done.failed(page(error, json));
                return;
            }
            if (closed || !client.isActive()) {
                ch.close();
                discard(body);
                return;
            }
            channel = ch;
            origin = to;
            write(client, request, body, head, http10, keepAlive, json, upgrade, done);
        });
    }

    private void write(Channel client, HttpRequest request, Object body, boolean head, boolean http10, boolean keepAlive,
                       boolean json, boolean upgrade, Done done) {
        Channel ch = channel;
        if (relay != null && ch.pipeline().get(ResponseRelay.class) != null) {
            ch.pipeline().remove(ResponseRelay.class);
        }
        relay = new ResponseRelay(client, head, http10, keepAlive, json, upgrade, new ResponseRelay.Listener() {
            @Override
            public void finished(boolean originReusable, boolean clientMustClose) {
                if (!originReusable) {
                    closeChannel();
                }
                done.finished(clientMustClose);
            }

            @Override
            public void failed(FullHttpResponse page) {
                closeChannel();
                done.failed(page);
            }

            @Override
            public void upgraded() {
                Channel upgradedChannel = channel;
                channel = null;
                origin = null;
                relay = null;
                done.upgraded(upgradedChannel);
            }
        });
        ch.pipeline().addLast("relay", relay);
        ch.config().setAutoRead(true);
        ch.write(request);
        ChannelFuture sent;
        if (body instanceof FileRegion) {
            // sendfile for the body; the empty last content ends the request in the encoder
            ch.write(body);
            sent = ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            sent = ch.writeAndFlush(body);
        }
        sent.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                // The relay sees the connection close and answers 502 (or closes the client).
                f.channel().close();
            }
        });
    }

    /** A body that will not be sent: close its spool file handle (a chunked input), or release it (a file region closes its own). */
    private static void discard(Object body) {
        if (body instanceof io.netty.handler.stream.ChunkedInput<?> in) {
            try {
                in.close();
            } catch (Exception e) {
                // Nothing more to do: the spool file is deleted with the request anyway.
            }
        } else {
            ReferenceCountUtil.release(body);
        }
    }

    void clientWritable() {
        if (relay != null) {
            relay.clientWritable();
        }
    }

    /** The client went away: drop the origin connection. */
    void close() {
        closed = true;
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            Channel ch = channel;
            channel = null;
            origin = null;
            ch.close();
        }
    }

    static FullHttpResponse page(Throwable error, boolean json) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e instanceof OriginConnector.OriginException oe) {
            String reason = NumberGuard.redact(oe.getMessage());
            if (oe.refused) {
                return ProxyPages.error(HttpResponseStatus.FORBIDDEN, "社内ネットワークなど、このプロキシから接続できない宛先です。",
                        "This destination may not be reached through the proxy: " + reason + ".", null, json);
            }
            if (oe.certificate) {
                return ProxyPages.error(HttpResponseStatus.BAD_GATEWAY,
                        "接続先のサーバー証明書を検証できなかったため、接続しませんでした（なりすましの恐れがあります）。",
                        "The destination's certificate could not be verified, so the gateway did not connect: "
                                + reason + ".", null, json);
            }
            return ProxyPages.error(HttpResponseStatus.BAD_GATEWAY, "接続先に接続できませんでした。",
                    "Could not connect to the destination: " + reason + ".", null, json);
        }
        return ProxyPages.error(HttpResponseStatus.BAD_GATEWAY, "接続先に接続できませんでした。",
                "Could not connect to the destination.", null, json);
    }
}
