package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * The client TLS context for connections to origins: the JDK's trusted CAs plus the admin's PEM
 * bundle ({@code --upstream-trust}), host name verification on (HTTPS rules), http/1.1 only (no
 * ALPN offered, so the origin cannot pick h2). A certificate that fails either check fails the
 * handshake; the proxy then answers 502 with the reason, it never connects without verification.
 */
public final class OriginTls {
    private OriginTls() {
    }

    public static SslContext clientContext(Path extraTrust) throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore(extraTrust));
        // No provider named: Netty's default, BoringSSL where it loads (less CPU per byte), else the JDK.
        return SslContextBuilder.forClient()
                .trustManager(tmf)
                .endpointIdentificationAlgorithm("HTTPS")
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    /** The JDK's trusted CAs, plus every certificate in {@code extraTrust} when given. */
    static KeyStore trustStore(Path extraTrust) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : jdkTrusted()) {
            ks.setCertificateEntry("jdk-" + i++, c);
        }
        if (extraTrust != null) {
            List<X509Certificate> extra = readPem(extraTrust);
            if (extra.isEmpty()) {
                throw new SSLException("no certificate in the upstream trust file " + extraTrust);
            }
            int j = 0;
            for (X509Certificate c : extra) {
                ks.setCertificateEntry("admin-" + j++, c);
            }
        }
        return ks;
    }

    private static List<X509Certificate> jdkTrusted() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<X509Certificate> out = new ArrayList<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                out.addAll(List.of(x.getAcceptedIssuers()));
            }
        }
        return out;
    }

    static List<X509Certificate> readPem(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends java.security.cert.Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            return out;
        }
    }
}
