package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/** The STARTTLS server context: the admin's certificate, or one issued from the local CA ({@link LocalCa}). */
final class SmtpTls {
    private SmtpTls() {
    }

    /**
     * {@code null} when TLS is disabled.
     *
     * @param names what clients may call the server: our host name first, then listen addresses
     */
    static SslContext context(GatewayConfig.TlsSettings t, Path caDir, List<String> names)
            throws IOException, GeneralSecurityException {
        if (!t.enabled()) {
            return null;
        }
        if (t.certificate() != null) {
            return SslContextBuilder.forServer(t.certificate().toFile(), t.key().toFile()).build();
        }
        return LocalCa.serverContext(caDir, names);
    }
}
