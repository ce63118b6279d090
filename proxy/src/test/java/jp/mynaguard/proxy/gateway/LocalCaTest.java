package jp.mynaguard.proxy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;

import io.netty.handler.ssl.SslContext;
import jp.mynaguard.certs.CaFiles;
import jp.mynaguard.certs.CertificateAuthority;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaTest {
    @Test
    void createsOnceInTheCaFilesLayoutThenLoads(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca");
        CertificateAuthority first = LocalCa.loadOrCreate(ca, "gw.example");
        assertTrue(CaFiles.exists(ca));
        assertTrue(first.certificate().getSubjectX500Principal().getName().contains("gw.example"));
        assertEquals(first.certificate(), LocalCa.loadOrCreate(ca, "other").certificate());
    }

    @Test
    void convertsTheEarlierPkcs12Store(@TempDir Path dir) throws Exception {
        CertificateAuthority old = CertificateAuthority.create("Old local CA", Instant.now());
        char[] pw = "mynaguard-local-ca".toCharArray();
        try (OutputStream out = Files.newOutputStream(dir.resolve("ca.p12"))) {
            old.toKeyStore(pw).store(out, pw);
        }
        Files.writeString(dir.resolve("ca.pem"), old.certificatePem());

        CertificateAuthority loaded = LocalCa.loadOrCreate(dir, "gw");
        assertEquals(old.certificate(), loaded.certificate());
        assertFalse(Files.exists(dir.resolve("ca.p12")));
        assertEquals(old.certificatePem(), Files.readString(dir.resolve("ca.pem")), "clients keep trusting the same file");
        assertEquals(old.certificate(), CaFiles.load(dir).certificate());
    }

    @Test
    void brokenCaFilesAreAnErrorNotReplaced(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(CaFiles.KEY_FILE), "not a key");
        Files.writeString(dir.resolve(CaFiles.CERTIFICATE_PEM), "not a certificate");
        assertThrows(GeneralSecurityException.class, () -> LocalCa.loadOrCreate(dir, "gw"));
        assertEquals("not a key", Files.readString(dir.resolve(CaFiles.KEY_FILE)));
    }

    @Test
    void serverContextCertificateComesFromTheCa(@TempDir Path dir) throws Exception {
        SslContext ctx = LocalCa.serverContext(dir, List.of("console.example", "127.0.0.1"));
        assertTrue(ctx.isServer());
        CertificateAuthority ca = CaFiles.load(dir);
        // A real handshake on loopback: a client that trusts only the CA and checks the name.
        javax.net.ssl.SSLContext server = ((io.netty.handler.ssl.JdkSslContext) ctx).context();
        try (javax.net.ssl.SSLServerSocket ss = (javax.net.ssl.SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try (java.net.Socket s = ss.accept()) {
                    s.getInputStream().read();
                } catch (java.io.IOException ignored) {
                    // the client side asserts
                }
            });
            accept.start();
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca.certificate());
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            javax.net.ssl.SSLContext client = javax.net.ssl.SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) client.getSocketFactory()
                    .createSocket("127.0.0.1", ss.getLocalPort())) {
                javax.net.ssl.SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0];
                leaf.verify(ca.certificate().getPublicKey());
                s.getOutputStream().write(1);
            }
            accept.join();
        }
    }
}
