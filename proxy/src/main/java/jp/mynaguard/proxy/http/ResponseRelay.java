package jp.mynaguard.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;

/**
 * The origin's response, streamed back to the client uninspected: hop-by-hop fields removed,
 * framed for the client (the origin's Content-Length kept; otherwise chunked for an HTTP/1.1
 * client, or end-of-connection for HTTP/1.0), trailers dropped. When the client reads slower
 * than the origin sends, reading from the origin stops until the client catches up.
 */
final class ResponseRelay extends ChannelInboundHandlerAdapter {
    /** How the exchange ends. */
    interface Listener {
        /** The whole response went to the client. */
        void finished(boolean originReusable, boolean clientMustClose);

        /** No response head was sent yet: answer the client with {@code page}. Or, with null, close the client. */
        void failed(FullHttpResponse page);

        /** The origin switched to WebSocket (101 written to the client): both sides become a byte relay now. */
        void upgraded();
    }

    private final Channel client;
    private final boolean head;
    private final boolean clientHttp10;
    private final boolean clientKeepAlive;
    private final boolean wantsJson;
    private final boolean upgrade;
    private final Listener listener;
    private Channel origin;
    private boolean started;
    private boolean done;
    private boolean skipInformational;
    private boolean originReusable;
    private boolean clientMustClose;

    ResponseRelay(Channel client, boolean head, boolean clientHttp10, boolean clientKeepAlive, boolean wantsJson,
                  boolean upgrade, Listener listener) {
        this.upgrade = upgrade;
        this.client = client;
        this.head = head;
        this.clientHttp10 = clientHttp10;
        this.clientKeepAlive = clientKeepAlive;
        this.wantsJson = wantsJson;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.origin = ctx.channel();
    }

    /** The client can take more: read from the origin again. */
    void clientWritable() {
        if (origin != null && !done) {
            origin.config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                fail(ProxyPages.error(HttpResponseStatus.BAD_GATEWAY, "接続先の応答が不正です。",
                        "The destination sent an invalid response.", null, wantsJson));
                return;
            }
            if (r.status().code() == 101) {
                switchProtocols(r);
                return;
            }
            if (r.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
                // 100 and 103: ours to drop (we never sent Expect); the final response follows.
                skipInformational = true;
                ReferenceCountUtil.release(msg);
                return;
            }
            skipInformational = false;
            respond(r);
        }
        if (msg instanceof HttpContent c) {
            if (skipInformational) {
                c.release();
                return;
            }
            boolean last = c instanceof LastHttpContent;
            if (c.content().isReadable()) {
                client.write(new DefaultHttpContent(c.content().retain()));
            }
            c.release();
            if (last) {
                done = true;
                client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                    if (f.isSuccess()) {
                        listener.finished(originReusable, clientMustClose);
                    } else {
                        listener.failed(null);
                    }
                });
            } else if (!client.isWritable()) {
                client.flush();
                origin.config().setAutoRead(false);
            }
        }
    }

    /** 101: only for the WebSocket handshake we forwarded; anything else is a broken origin. */
    private void switchProtocols(HttpResponse r) {
        if (!upgrade) {
            fail(ProxyPages.error(HttpResponseStatus.BAD_GATEWAY, "接続先が想定外のプロトコル切り替えを返しました。",
                    "The destination switched protocols unexpectedly.", null, wantsJson));
            return;
        }
        HopByHop.cleanResponse(r);
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        started = true;
        done = true;
        // Written (encoded) before the relay takes over, so frames the origin sends next follow it.
        client.writeAndFlush(r);
        listener.upgraded();
    }

    private void respond(HttpResponse r) {
        boolean explicitLength = r.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean chunked = HttpUtil.isTransferEncodingChunked(r);
        boolean bodiless = head || r.status().code() == 204 || r.status().code() == 304;
        originReusable = HttpUtil.isKeepAlive(r) && (explicitLength || chunked || bodiless);
        HopByHop.cleanResponse(r);
        clientMustClose = !clientKeepAlive;
        if (!bodiless && !explicitLength) {
            if (clientHttp10) {
                clientMustClose = true;
            } else {
                HttpUtil.setTransferEncodingChunked(r, true);
            }
        }
        if (clientMustClose) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        started = true;
        client.write(r);
    }

    private void fail(FullHttpResponse page) {
        if (done) {
            if (page != null) {
                page.release();
            }
            return;
        }
        done = true;
        if (origin != null) {
            origin.close();
        }
        if (started && page != null) {
            page.release();
            page = null;
        }
        listener.failed(page);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ProxyPages.error(HttpResponseStatus.BAD_GATEWAY, "接続先が応答の途中で接続を切りました。",
                "The destination closed the connection without a complete response.", null, wantsJson));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            fail(ProxyPages.error(HttpResponseStatus.GATEWAY_TIMEOUT, "接続先が時間内に応答しませんでした。",
                    "The destination did not answer in time.", null, wantsJson));
        } else {
            fail(ProxyPages.error(HttpResponseStatus.BAD_GATEWAY, "接続先との通信に失敗しました。",
                    "The connection to the destination failed.", null, wantsJson));
        }
    }
}
