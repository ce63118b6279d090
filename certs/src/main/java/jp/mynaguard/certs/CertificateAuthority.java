package jp.mynaguard.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The gateway's local certificate authority: an EC P-256 (or RSA 3072) key and a self-signed CA
 * certificate (basic constraints CA, critical; keyCertSign + cRLSign, critical; subject key
 * identifier). {@link CaFiles} keeps it on disk, {@link LeafMinter} issues interception leaves. Clients
 * install its certificate so the proxy can inspect HTTPS uploads; the same CA issues the SMTP
 * STARTTLS and console certificates when the admin gives none.
 */
public final class CertificateAuthority {
    /** How long a newly created CA certificate is valid. */
    public static final Duration CA_VALIDITY = CertLimits.CA_VALIDITY;
    /** Backdating absorbs small clock differences between the gateway and its clients. */
    public static final Duration BACKDATE = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final CaKeyType keyType;
    private final byte[] subjectKeyId;

    private CertificateAuthority(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        this.key = key;
        this.certificate = certificate;
        this.keyType = CaKeyType.of(certificate.getPublicKey());
        byte[] ski = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        this.subjectKeyId = ski == null ? null
                : SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier();
    }

    /** Creates a new EC P-256 CA named {@code commonName} (e.g. "Mynaguard Local CA (example.co.jp)"). */
    public static CertificateAuthority create(String commonName, Instant now) throws GeneralSecurityException {
        return create(commonName, now, CaKeyType.EC_P256);
    }

    /** Creates a new CA with a key of {@code type}, valid for {@link #CA_VALIDITY}. */
    public static CertificateAuthority create(String commonName, Instant now, CaKeyType type) throws GeneralSecurityException {
        Objects.requireNonNull(commonName, "commonName");
        KeyPair pair = type.generate(RANDOM);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Mynaguard")
                .addRDN(BCStyle.CN, commonName)
                .build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(type.signatureAlgorithm()).build(pair.getPrivate())));
            cert.verify(pair.getPublic());
            return new CertificateAuthority(pair.getPrivate(), cert);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build the CA certificate", e);
        }
    }

    /**
     * A CA from a key and certificate read back from disk. Checks what a wrong file pair would
     * break later in a confusing way: the certificate is a CA certificate (basic constraints)
     * and the key belongs to it.
     */
    static CertificateAuthority restore(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        if (certificate.getBasicConstraints() < 0) {
            throw new GeneralSecurityException("the certificate is not a CA certificate (no basic constraints CA:true)");
        }
        CaKeyType type = CaKeyType.of(certificate.getPublicKey());
        // Sign and verify a probe: the cheapest proof the key pair matches, for EC and RSA alike.
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        Signature signer = Signature.getInstance(type.signatureAlgorithm());
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(type.signatureAlgorithm());
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the CA certificate");
        }
        return new CertificateAuthority(key, certificate);
    }

    static KeyPair newEcKeyPair() throws GeneralSecurityException {
        return CaKeyType.EC_P256.generate(RANDOM);
    }

    /** A positive random 128-bit serial number, as CAs are expected to use. */
    static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return key;
    }

    public CaKeyType keyType() {
        return keyType;
    }

    /** What certificates this CA issues are signed with. */
    String signatureAlgorithm() {
        return keyType.signatureAlgorithm();
    }

    /**
     * The CA certificate's subject key identifier, which issued certificates carry as their
     * authority key identifier; {@code null} for a CA certificate without one.
     */
    byte[] subjectKeyIdentifier() {
        return subjectKeyId == null ? null : subjectKeyId.clone();
    }

    /** SHA-256 of the DER certificate as colon-separated upper-case hex, as browsers and certutil show it. */
    public String fingerprintSha256() {
        return fingerprint("SHA-256");
    }

    /** SHA-1 thumbprint, which Windows certificate dialogs and {@code certutil} list. */
    public String fingerprintSha1() {
        return fingerprint("SHA-1");
    }

    private String fingerprint(String algorithm) {
        try {
            byte[] d = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
            StringBuilder s = new StringBuilder(d.length * 3);
            for (byte b : d) {
                if (s.length() > 0) {
                    s.append(':');
                }
                s.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            return s.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
    }

    /** The certificate in DER, for clients that import binary certificates (Windows, Android). */
    public byte[] certificateDer() {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate always encodes", e);
        }
    }

    /** How long a server certificate from {@link #issueServerCertificate} is valid (Apple and browsers accept at most 398 days). */
    public static final Duration SERVER_VALIDITY = Duration.ofDays(397);

    /** A server certificate and its fresh key; {@link #chain()} is what a TLS server presents. */
    public record ServerCertificate(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {
        public X509Certificate[] chain() {
            return new X509Certificate[] {certificate, issuer};
        }
    }

    /** {@link #issueServerCertificate(List, Instant)} for one name. */
    public ServerCertificate issueServerCertificate(String host, Instant now) throws GeneralSecurityException {
        return issueServerCertificate(List.of(host), now);
    }

    /**
     * Issues a TLS server certificate for {@code hosts} (DNS names or IP literals, which become
     * iPAddress SANs; the first is the subject CN) with a new EC P-256 key: EKU serverAuth,
     * digitalSignature, SANs, AKI from this CA, backdated by {@link #BACKDATE}. Used for the SMTP
     * STARTTLS certificate when the admin configures none.
     */
    public ServerCertificate issueServerCertificate(List<String> hosts, Instant now) throws GeneralSecurityException {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one host name");
        }
        KeyPair pair = newEcKeyPair();
        String first = hosts.get(0);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, first.length() < 64 ? first : "server").build();
        GeneralName[] names = new GeneralName[hosts.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = LeafMinter.subjectAlternativeName(HostName.of(hosts.get(i)));
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(SERVER_VALIDITY)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm()).build(key)));
            cert.verify(certificate.getPublicKey());
            return new ServerCertificate(pair.getPrivate(), cert, certificate);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build the server certificate", e);
        }
    }

    /** The CA (key and certificate) as a PKCS#12 key store, for keeping it under the data directory. */
    public KeyStore toKeyStore(char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(KEY_ALIAS, key, password, new X509Certificate[] {certificate});
        return ks;
    }

    /** The CA kept with {@link #toKeyStore}. */
    public static CertificateAuthority fromKeyStore(KeyStore ks, char[] password) throws GeneralSecurityException {
        if (!(ks.getKey(KEY_ALIAS, password) instanceof PrivateKey k)
                || !(ks.getCertificate(KEY_ALIAS) instanceof X509Certificate c)) {
            throw new GeneralSecurityException("no CA entry '" + KEY_ALIAS + "' in the key store");
        }
        return restore(k, c);
    }

    private static final String KEY_ALIAS = "mynaguard-ca";

    /** The certificate in PEM, for installing on clients. */
    public String certificatePem() throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(certificate);
        }
        return s.toString();
    }
}
