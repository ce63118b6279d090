package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;

import jp.mynaguard.certs.CertificateAuthority;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local CA kept under the data directory: {@code ca/ca.p12} (key and certificate, mode 0600,
 * in a 0700 directory) and {@code ca/ca.pem} (the certificate, for installing on mail clients).
 * Created on first start. The key store password is fixed: what protects the key is the file's
 * mode, as for the hold store's master key; a password next to the file would add nothing.
 */
final class LocalCa {
    private static final Logger log = LoggerFactory.getLogger(LocalCa.class);
    private static final char[] STORE_PASSWORD = "mynaguard-local-ca".toCharArray();

    private LocalCa() {
    }

    static CertificateAuthority loadOrCreate(Path dir, String name) throws IOException, GeneralSecurityException {
        Path store = dir.resolve("ca.p12");
        if (Files.exists(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, STORE_PASSWORD);
            }
            return CertificateAuthority.fromKeyStore(ks, STORE_PASSWORD);
        }
        Files.createDirectories(dir);
        restrict(dir, "rwx------");
        CertificateAuthority ca = CertificateAuthority.create("Mynaguard Local CA (" + name + ")", Instant.now());
        Path tmp = Files.createTempFile(dir, ".ca-", ".p12");
        try {
            restrict(tmp, "rw-------");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ca.toKeyStore(STORE_PASSWORD).store(out, STORE_PASSWORD);
            }
            Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        Files.writeString(dir.resolve("ca.pem"), ca.certificatePem(), StandardCharsets.US_ASCII);
        log.info("created the local CA; install {} on mail clients to trust the gateway's STARTTLS certificate",
                dir.resolve("ca.pem"));
        return ca;
    }

    private static void restrict(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // Not POSIX: the data directory's ACL applies.
        }
    }
}
