package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jp.mynaguard.certs.CertificateAuthority;

/** The STARTTLS server context: the admin's certificate, or one issued from the local CA. */
final class SmtpTls {
    private SmtpTls() {
    }

    /**
     * {@code null} when TLS is disabled.
     *
     * @param names what clients may call the server: our host name first, then listen addresses
     */
    static SslContext context(GatewayConfig.TlsSettings t, Path dataDir, List<String> names)
            throws IOException, GeneralSecurityException {
        if (!t.enabled()) {
            return null;
        }
        if (t.certificate() != null) {
            return SslContextBuilder.forServer(t.certificate().toFile(), t.key().toFile()).build();
        }
        CertificateAuthority ca = LocalCa.loadOrCreate(dataDir.resolve("ca"), names.get(0));
        CertificateAuthority.ServerCertificate leaf = ca.issueServerCertificate(names, Instant.now());
        return SslContextBuilder.forServer(leaf.key(), leaf.chain()).build();
    }
}
