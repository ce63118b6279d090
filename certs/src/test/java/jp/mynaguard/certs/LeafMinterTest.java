package jp.mynaguard.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Interception leaves as a strict client sees them: PKIX-valid chains whose SAN matches the host. */
class LeafMinterTest {
    static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    static CertificateAuthority ca;
    static LeafMinter minter;

    @BeforeAll
    static void ca() throws Exception {
        ca = CertificateAuthority.create("Mynaguard Test Interception CA", NOW.minus(Duration.ofDays(3)));
        minter = new LeafMinter(ca);
    }

    private static CertificateAuthority.ServerCertificate mint(String host) throws Exception {
        return minter.mint(HostName.of(host), NOW);
    }

    @Test
    void dnsNameLeafValidatesWithPkixAndMatchesTheHost() throws Exception {
        CertificateAuthority.ServerCertificate leaf = mint("upload.example.com");
        X509Certificate c = leaf.certificate();
        Chains.validate(c, ca.certificate(), Date.from(NOW));
        Chains.handshake(leaf, ca.certificate(), "upload.example.com");
        assertEquals(List.of(List.of(2, "upload.example.com")), sans(c));
        assertEquals("CN=upload.example.com", c.getSubjectX500Principal().getName());
        assertTrue(c.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "EKU serverAuth");
        assertEquals(-1, c.getBasicConstraints(), "not a CA");
        assertTrue(c.getKeyUsage()[0], "digitalSignature");
    }

    @Test
    void aLeafForOneHostIsRefusedForAnother() throws Exception {
        CertificateAuthority.ServerCertificate leaf = mint("upload.example.com");
        assertThrows(SSLHandshakeException.class, () -> Chains.handshake(leaf, ca.certificate(), "evil.example.net"));
    }

    @Test
    void ipLiteralsGetIpAddressSans() throws Exception {
        for (String host : new String[] {"192.0.2.10", "2001:db8::1", "[2001:db8::2]"}) {
            CertificateAuthority.ServerCertificate leaf = mint(host);
            X509Certificate c = leaf.certificate();
            Chains.validate(c, ca.certificate(), Date.from(NOW));
            List<List<?>> sans = sans(c);
            assertEquals(1, sans.size());
            assertEquals(7, sans.get(0).get(0), "iPAddress SAN for " + host);
            String bare = host.replace("[", "").replace("]", "");
            assertEquals(InetAddress.getByName(bare), InetAddress.getByName((String) sans.get(0).get(1)));
            Chains.handshake(leaf, ca.certificate(), bare);
        }
    }

    @Test
    void internationalNamesBecomeALabels() throws Exception {
        CertificateAuthority.ServerCertificate leaf = mint("ファイル.例え.jp");
        X509Certificate c = leaf.certificate();
        Chains.validate(c, ca.certificate(), Date.from(NOW));
        String aLabel = java.net.IDN.toASCII("ファイル.例え.jp");
        assertTrue(aLabel.startsWith("xn--"));
        assertEquals(List.of(List.of(2, aLabel)), sans(c));
        Chains.handshake(leaf, ca.certificate(), aLabel);
    }

    @Test
    void validityIsAtMost199DaysWithASmallBackdate() throws Exception {
        X509Certificate c = mint("a.example").certificate();
        assertEquals(NOW.minus(CertLimits.LEAF_BACKDATE), c.getNotBefore().toInstant());
        assertEquals(NOW.plus(CertLimits.LEAF_VALIDITY), c.getNotAfter().toInstant());
        assertTrue(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()).toDays() <= 199 + 1);
        assertThrows(CertPathValidatorException.class,
                () -> Chains.validate(c, ca.certificate(), Date.from(NOW.plus(Duration.ofDays(200)))));
    }

    @Test
    void neverOutlivesTheCa() throws Exception {
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        CertificateAuthority shortCa = CertificateAuthority.create("Ends soon", old);
        Instant nearEnd = shortCa.certificate().getNotAfter().toInstant().minus(Duration.ofDays(10));
        X509Certificate c = new LeafMinter(shortCa).mint(HostName.of("a.example"), nearEnd).certificate();
        assertEquals(shortCa.certificate().getNotAfter(), c.getNotAfter());
    }

    @Test
    void authorityKeyIdIsTheCaSubjectKeyIdAndTheLeafKeyIsSharedButNotTheCas() throws Exception {
        CertificateAuthority.ServerCertificate a = mint("a.example");
        CertificateAuthority.ServerCertificate b = mint("b.example");
        byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                a.certificate().getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        byte[] ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        assertArrayEquals(ski, aki);
        assertNull(a.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId()),
                "no leaf SKI (SChannel trouble when it equals the CA's)");
        assertEquals(a.certificate().getPublicKey(), b.certificate().getPublicKey(), "one leaf key for all hosts");
        assertNotEquals(ca.certificate().getPublicKey(), a.certificate().getPublicKey(), "leaf key is not the CA key");
        assertNotEquals(a.certificate().getSerialNumber(), b.certificate().getSerialNumber());
        assertTrue(a.certificate().getSerialNumber().signum() > 0);
        assertTrue(a.certificate().getSerialNumber().bitLength() > 64, "random serial with real entropy");
    }

    @Test
    void longNamesGoIntoTheSanOnlyWhichIsThenCritical() throws Exception {
        String host = "a".repeat(60) + ".example.com";
        X509Certificate c = mint(host).certificate();
        assertEquals("", c.getSubjectX500Principal().getName());
        assertTrue(c.getCriticalExtensionOIDs().contains(Extension.subjectAlternativeName.getId()));
        Chains.validate(c, ca.certificate(), Date.from(NOW));
    }

    @Test
    void rsaCaIssuesLeavesSignedWithRsa() throws Exception {
        CertificateAuthority rsa = CertificateAuthority.create("RSA CA", NOW.minus(Duration.ofDays(1)), CaKeyType.RSA_3072);
        assertEquals(CaKeyType.RSA_3072, rsa.keyType());
        assertEquals(3072, ((java.security.interfaces.RSAPublicKey) rsa.certificate().getPublicKey()).getModulus().bitLength());
        CertificateAuthority.ServerCertificate leaf = new LeafMinter(rsa).mint(HostName.of("rsa.example"), NOW);
        assertEquals("SHA256withRSA", leaf.certificate().getSigAlgName());
        Chains.validate(leaf.certificate(), rsa.certificate(), Date.from(NOW));
        Chains.handshake(leaf, rsa.certificate(), "rsa.example");
        assertFalse(rsa.certificate().getPublicKey().getAlgorithm().equals(leaf.certificate().getPublicKey().getAlgorithm()),
                "the leaf key is EC even under an RSA CA");
    }

    @SuppressWarnings("unchecked")
    private static List<List<?>> sans(X509Certificate c) throws Exception {
        return (List<List<?>>) (List<?>) List.copyOf(c.getSubjectAlternativeNames());
    }
}
