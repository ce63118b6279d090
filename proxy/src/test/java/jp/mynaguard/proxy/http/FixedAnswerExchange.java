package jp.mynaguard.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The exchange pipeline's stand-in for tunnel tests: answers every decrypted request itself with
 * {@code 200 "answer for HOST:PORT to USER: METHOD PATH"} and remembers what it was installed for.
 */
final class FixedAnswerExchange implements ExchangePipeline {
    record Install(Origin origin, ProxyUser user) {
    }

    final List<Install> installs = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public void install(ChannelPipeline pipeline, Origin origin, ProxyUser user) {
        installs.add(new Install(origin, user));
        pipeline.addLast("test-http", new HttpServerCodec());
        pipeline.addLast("test-aggregate", new HttpObjectAggregator(1 << 20));
        pipeline.addLast("test-answer", new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                requests.add(req.method() + " " + req.uri() + " " + req.content().toString(StandardCharsets.UTF_8));
                byte[] body = ("answer for " + origin.host() + ":" + origin.port() + " to " + user.login() + ": "
                        + req.method() + " " + req.uri()).getBytes(StandardCharsets.UTF_8);
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                HttpUtil.setContentLength(res, body.length);
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                HttpUtil.setKeepAlive(res, keepAlive);
                if (keepAlive) {
                    ctx.writeAndFlush(res);
                } else {
                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                }
            }
        });
    }
}
