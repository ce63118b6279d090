package jp.mynaguard.proxy.http;

import java.util.Objects;

/**
 * The server an intercepted tunnel talks to: the CONNECT host and port, reached over TLS. Requests
 * read from the decrypted tunnel are origin-form and go to this origin only.
 */
public record Origin(String host, int port, boolean tls) {
    public Origin {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
    }
}
