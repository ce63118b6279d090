package jp.mynaguard.proxy.http;

import java.time.Instant;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/** The request a client connection is working on: its head, where it goes, who sends it, its body, how far it got. */
final class ProxyRequest {
    HttpRequest head;
    RequestTarget target;
    String ref;
    Instant receivedAt;
    boolean keepAlive;
    boolean json;
    boolean connect;
    boolean websocket;
    boolean authDone;
    boolean bodyDone;
    boolean answered;
    ProxyUser user;
    SpooledRequest.Writer writer;
    SpooledRequest body;
    /** An answer decided before the (empty) body was read, sent when it is. */
    FullHttpResponse pending;

    /** Whether a body follows the head (a non-zero Content-Length, or chunked). */
    boolean expectsBody() {
        if (head == null) {
            return true;
        }
        String cl = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) || cl != null && !cl.trim().equals("0");
    }

    /** Deletes the spooled body and drops an unsent answer. */
    void release() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (body != null) {
            body.close();
            body = null;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
