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

    @Test
    void issuesServerCertificatesForNamesAndAddresses() throws Exception {
        Instant now = Instant.parse("2026-11-27T00:00:00Z");
        CertificateAuthority ca = CertificateAuthority.create("Test CA", now);
        for (String host : new String[] {"mail.example.co.jp", "127.0.0.1", "::1"}) {
            CertificateAuthority.ServerCertificate leaf = ca.issueServerCertificate(host, now);
            X509Certificate c = leaf.certificate();
            c.verify(ca.certificate().getPublicKey());
            c.checkValidity(Date.from(now));
            assertEquals(-1, c.getBasicConstraints(), "not a CA");
            assertTrue(c.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
            assertEquals(1, c.getSubjectAlternativeNames().size());
            assertEquals(host.equals("mail.example.co.jp") ? 2 : 7,
                    c.getSubjectAlternativeNames().iterator().next().get(0));
            assertTrue(!leaf.key().equals(ca.privateKey()), "own key");
            assertEquals(2, leaf.chain().length);
        }
    }

    @Test
    void oneCertificateCanNameSeveralHosts() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Instant.now());
        X509Certificate c = ca.issueServerCertificate(java.util.List.of("mx.example.co.jp", "localhost", "127.0.0.1", "::1"),
                Instant.now()).certificate();
        assertEquals(4, c.getSubjectAlternativeNames().size());
    }

    @Test
    void caSurvivesAKeyStoreRoundTrip() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Round trip", Instant.now());
        char[] pw = "pw".toCharArray();
        java.security.KeyStore ks = ca.toKeyStore(pw);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ks.store(out, pw);
        java.security.KeyStore back = java.security.KeyStore.getInstance("PKCS12");
        back.load(new java.io.ByteArrayInputStream(out.toByteArray()), pw);
        CertificateAuthority again = CertificateAuthority.fromKeyStore(back, pw);
        assertEquals(ca.certificate(), again.certificate());
        again.issueServerCertificate("localhost", Instant.now()).certificate().verify(ca.certificate().getPublicKey());
    }
}
