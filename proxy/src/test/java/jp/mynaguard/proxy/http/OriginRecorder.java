package jp.mynaguard.proxy.http;

import static org.mockserver.model.HttpResponse.response;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mockserver.mock.action.ExpectationResponseCallback;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.HttpResponse;

/**
 * MockServer class callback, run inside the MockServer that the test embeds: keeps the raw bytes
 * of every body the origin received. (MockServer's recorded-request API re-serialises JSON and
 * text bodies, which is no way to prove byte identity.)
 */
public final class OriginRecorder implements ExpectationResponseCallback {
    static final List<byte[]> BODIES = Collections.synchronizedList(new ArrayList<>());
    static final List<HttpRequest> REQUESTS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public HttpResponse handle(HttpRequest request) {
        byte[] raw = request.getBodyAsRawBytes();
        BODIES.add(raw == null ? new byte[0] : raw);
        REQUESTS.add(request);
        return response().withStatusCode(200).withBody("origin ok");
    }
}
