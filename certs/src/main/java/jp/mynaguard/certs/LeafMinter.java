package jp.mynaguard.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the per-host certificates the proxy presents in intercepted tunnels. All leaves share one
 * EC P-256 key pair made when the minter is created: minting then costs one signature, not a key
 * generation, and the key is never the CA's own (mitmproxy once reused the CA key for leaves and
 * Windows SChannel refused chains whose leaf and CA had the same key identifier).
 *
 * <p>Each leaf: subject CN = the host when shorter than 64 characters; SAN dNSName (A-label) or
 * iPAddress; EKU serverAuth; key usage digitalSignature; not a CA; AKI = the CA's SKI;
 * a random positive 127-bit serial; valid from {@link CertLimits#LEAF_BACKDATE} before now for
 * {@link CertLimits#LEAF_VALIDITY}, but never beyond the CA's own notAfter. Thread-safe.
 */
public final class LeafMinter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateAuthority ca;
    private final KeyPair leafKey;
    private final AuthorityKeyIdentifier authorityKeyId;

    public LeafMinter(CertificateAuthority ca) throws GeneralSecurityException {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.leafKey = CertificateAuthority.newEcKeyPair();
        byte[] ski = ca.subjectKeyIdentifier();
        try {
            // AKI must equal the CA's SKI exactly: strict chain builders match on it. A CA without an
            // SKI (made elsewhere) gets the RFC 5280 method-1 key id, which is what its SKI would be.
            this.authorityKeyId = ski != null ? new AuthorityKeyIdentifier(ski)
                    : new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate().getPublicKey());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new GeneralSecurityException("SHA-1 for key identifiers is missing", e);
        }
    }

    public CertificateAuthority authority() {
        return ca;
    }

    /** A leaf for {@code host} valid at {@code now}; its key is the shared leaf key. */
    public CertificateAuthority.ServerCertificate mint(HostName host, Instant now) throws GeneralSecurityException {
        X509Certificate issuer = ca.certificate();
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        boolean withCn = host.ascii().length() <= CertLimits.MAX_COMMON_NAME;
        if (withCn) {
            subject.addRDN(BCStyle.CN, host.ascii());
        }
        Date notBefore = Date.from(now.minus(CertLimits.LEAF_BACKDATE));
        Instant end = now.plus(CertLimits.LEAF_VALIDITY);
        Date notAfter = issuer.getNotAfter().toInstant().isBefore(end) ? issuer.getNotAfter() : Date.from(end);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), notBefore, notAfter,
                    subject.build(), leafKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    // RFC 5280 4.2.1.6: the SAN is critical when the subject is empty.
                    .addExtension(Extension.subjectAlternativeName, !withCn, new GeneralNames(subjectAlternativeName(host)))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(ca.signatureAlgorithm()).build(ca.privateKey())));
            return new CertificateAuthority.ServerCertificate(leafKey.getPrivate(), cert, issuer);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build the certificate for " + host, e);
        }
    }

    /** The SAN entry for a host: iPAddress for IP literals, dNSName (A-label) otherwise. */
    static GeneralName subjectAlternativeName(HostName host) {
        return host.isIpAddress()
                ? new GeneralName(GeneralName.iPAddress, new DEROctetString(host.address()))
                : new GeneralName(GeneralName.dNSName, host.ascii());
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
