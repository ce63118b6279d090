package jp.mynaguard.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaFilesTest {
    @Test
    void writesKeyOwnerOnlyAndCertificateAsPemAndDerAndLoadsItBack(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("data").resolve("ca");
        CertificateAuthority ca = CertificateAuthority.create("Files Test CA", Instant.now());
        CaFiles.write(dir, ca, false);

        assertTrue(CaFiles.exists(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(CaFiles.keyFile(dir))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertFalse(CaFiles.keyReadableByOthers(dir));
        assertTrue(Files.readString(CaFiles.keyFile(dir)).startsWith("-----BEGIN PRIVATE KEY-----"));
        X509Certificate der = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(CaFiles.certificateDer(dir)));
        assertEquals(ca.certificate(), der);
        assertTrue(Files.readString(CaFiles.certificatePem(dir), StandardCharsets.US_ASCII).startsWith("-----BEGIN CERTIFICATE-----"));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }

        CertificateAuthority loaded = CaFiles.load(dir);
        assertEquals(ca.certificate(), loaded.certificate());
        assertEquals(ca.fingerprintSha256(), loaded.fingerprintSha256());
        // The loaded key really is the CA key: what it issues validates against the certificate.
        CertificateAuthority.ServerCertificate leaf = new LeafMinter(loaded).mint(HostName.of("a.example"), Instant.now());
        Chains.validate(leaf.certificate(), ca.certificate(), new Date());
    }

    @Test
    void refusesToOverwriteWithoutForce(@TempDir Path dir) throws Exception {
        CertificateAuthority first = CertificateAuthority.create("First", Instant.now());
        CaFiles.write(dir, first, false);
        byte[] key = Files.readAllBytes(CaFiles.keyFile(dir));
        CertificateAuthority second = CertificateAuthority.create("Second", Instant.now());

        CaFiles.CaExistsException e = assertThrows(CaFiles.CaExistsException.class, () -> CaFiles.write(dir, second, false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertArrayEquals(key, Files.readAllBytes(CaFiles.keyFile(dir)), "the old key is untouched");
        assertEquals(first.certificate(), CaFiles.load(dir).certificate());

        // Any one of the files is enough to refuse: half a CA is still someone's CA.
        Files.delete(CaFiles.keyFile(dir));
        Files.delete(CaFiles.certificatePem(dir));
        assertThrows(CaFiles.CaExistsException.class, () -> CaFiles.write(dir, second, false));

        CaFiles.write(dir, second, true);
        assertEquals(second.certificate(), CaFiles.load(dir).certificate());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(CaFiles.keyFile(dir))));
    }

    @Test
    void rsaCaRoundTrips(@TempDir Path dir) throws Exception {
        CertificateAuthority rsa = CertificateAuthority.create("RSA", Instant.now(), CaKeyType.RSA_3072);
        CaFiles.write(dir, rsa, false);
        CertificateAuthority loaded = CaFiles.load(dir);
        assertEquals(CaKeyType.RSA_3072, loaded.keyType());
        assertEquals(rsa.certificate(), loaded.certificate());
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CaFiles.write(a, CertificateAuthority.create("A", Instant.now()), false);
        CaFiles.write(b, CertificateAuthority.create("B", Instant.now()), false);
        Files.copy(CaFiles.keyFile(b), CaFiles.keyFile(a), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> CaFiles.load(a));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void readableKeyIsReported(@TempDir Path dir) throws Exception {
        CaFiles.write(dir, CertificateAuthority.create("A", Instant.now()), false);
        Files.setPosixFilePermissions(CaFiles.keyFile(dir), PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(CaFiles.keyReadableByOthers(dir));
    }

    @Test
    void missingFilesAreNotACa(@TempDir Path dir) {
        assertFalse(CaFiles.exists(dir));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> CaFiles.load(dir));
    }
}
