package jp.mynaguard.proxy.http;

import java.util.Objects;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What {@link StrictRequestDecoder} passes on instead of (or in the middle of) a request it will not
 * accept: the status to answer and why, in words safe to show (no request bytes are quoted). The
 * connection is closed after the answer: the framing of anything after it cannot be trusted.
 */
public record RequestRejected(HttpResponseStatus status, String reason) {
    public RequestRejected {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    static RequestRejected bad(String reason) {
        return new RequestRejected(HttpResponseStatus.BAD_REQUEST, reason);
    }
}
