package jp.mynaguard.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
    @Test
    void createsSelfSignedEcCaWithCriticalConstraints() throws Exception {
        Instant now = Instant.parse("2026-11-27T00:00:00Z");
        CertificateAuthority ca = CertificateAuthority.create("Mynaguard Test CA", now);
        X509Certificate c = ca.certificate();

        c.verify(c.getPublicKey());
        assertEquals("EC", c.getPublicKey().getAlgorithm());
        assertTrue(c.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
        assertTrue(c.getBasicConstraints() >= 0, "CA flag");
        boolean[] ku = c.getKeyUsage();
        assertTrue(ku[5] && ku[6], "keyCertSign and cRLSign");
        assertNotNull(c.getExtensionValue(Extension.subjectKeyIdentifier.getId()));
        assertTrue(c.getSerialNumber().signum() > 0);
        c.checkValidity(Date.from(now));
        assertTrue(c.getNotBefore().before(Date.from(now)), "backdated");
        assertTrue(ca.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
        assertArrayEquals(c.getIssuerX500Principal().getEncoded(), c.getSubjectX500Principal().getEncoded());
    }

    @Test
    void everyCaHasItsOwnKey() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority a = CertificateAuthority.create("A", now);
        CertificateAuthority b = CertificateAuthority.create("B", now);
        assertTrue(!a.certificate().getPublicKey().equals(b.certificate().getPublicKey()));
    }
}
