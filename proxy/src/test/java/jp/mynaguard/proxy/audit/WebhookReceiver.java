package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** A local webhook for tests (the JDK's HTTP server): answers 500 to the first {@code failures} POSTs, then 204. */
final class WebhookReceiver implements AutoCloseable {
    /** One POST as received. */
    record Post(String body, String authorization, String contentType, int answered) {
    }

    final LinkedBlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private final HttpServer server;
    private final AtomicInteger failuresLeft;

    WebhookReceiver(int failures) throws IOException {
        this.failuresLeft = new AtomicInteger(failures);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int code = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            posts.add(new Post(body, exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), code));
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    Post next(long seconds) throws InterruptedException {
        return posts.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
