package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jp.mynaguard.certs.CaFiles;
import jp.mynaguard.certs.CertificateAuthority;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one CA, in the CA directory ({@code ca_dir} / {@code --ca-dir}, default
 * {@code DATA/ca}) in the {@link CaFiles} layout that {@code mynaguard ca init} writes. It issues
 * the HTTPS interception leaves, and the SMTP STARTTLS and console certificates when the admin
 * configures none. Created on first start when the directory holds none, so SMTP with STARTTLS
 * works out of the box.
 */
public final class LocalCa {
    private static final Logger log = LoggerFactory.getLogger(LocalCa.class);
    /** The PKCS#12 file earlier versions kept the CA in; read once and converted. */
    private static final String LEGACY_STORE = "ca.p12";
    private static final char[] LEGACY_PASSWORD = "mynaguard-local-ca".toCharArray();

    private LocalCa() {
    }

    /**
     * Loads the CA in {@code dir}, or creates one there (EC P-256, named after {@code name}).
     *
     * @throws GeneralSecurityException when the files there are not a usable CA (nothing is overwritten)
     */
    public static CertificateAuthority loadOrCreate(Path dir, String name) throws IOException, GeneralSecurityException {
        if (CaFiles.exists(dir)) {
            return CaFiles.load(dir);
        }
        Path legacy = dir.resolve(LEGACY_STORE);
        if (Files.exists(legacy)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(legacy)) {
                ks.load(in, LEGACY_PASSWORD);
            }
            CertificateAuthority ca = CertificateAuthority.fromKeyStore(ks, LEGACY_PASSWORD);
            // Same CA, new layout: ca.pem keeps its content, so clients that trust it see no change.
            CaFiles.write(dir, ca, true);
            Files.delete(legacy);
            log.info("converted the local CA in {} to PEM files ({}, {})", dir, CaFiles.KEY_FILE, CaFiles.CERTIFICATE_PEM);
            return ca;
        }
        CertificateAuthority ca = CertificateAuthority.create("Mynaguard Local CA (" + name + ")", Instant.now());
        CaFiles.write(dir, ca, false);
        log.info("created the local CA in {}; install {} on clients (docs/ca-install.md)", dir, CaFiles.certificatePem(dir));
        return ca;
    }

    /**
     * A TLS server context with a certificate for {@code names} from the CA in {@code caDir} (made
     * there when missing): for the SMTP STARTTLS and console listeners when the admin gives no
     * certificate of their own.
     *
     * @param names what clients call the server: host name first, then addresses
     */
    public static SslContext serverContext(Path caDir, List<String> names) throws IOException, GeneralSecurityException {
        CertificateAuthority ca = loadOrCreate(caDir, names.get(0));
        CertificateAuthority.ServerCertificate leaf = ca.issueServerCertificate(names, Instant.now());
        // The JDK provider always: the same TLS behaviour whether or not netty-tcnative is on the class path.
        return SslContextBuilder.forServer(leaf.key(), leaf.chain()).sslProvider(io.netty.handler.ssl.SslProvider.JDK).build();
    }
}
