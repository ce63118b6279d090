package jp.mynaguard.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The gateway's local certificate authority: an EC P-256 key and a self-signed CA certificate
 * (basic constraints CA, critical; keyCertSign + cRLSign; subject key identifier). Clients
 * install its certificate so the proxy can inspect HTTPS uploads; the same CA issues the SMTP
 * STARTTLS and console certificates when the admin gives none.
 */
public final class CertificateAuthority {
    /** How long a newly created CA certificate is valid. */
    public static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
    /** Backdating absorbs small clock differences between the gateway and its clients. */
    public static final Duration BACKDATE = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;

    private CertificateAuthority(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** Creates a new CA named {@code commonName} (e.g. "Mynaguard Local CA (example.co.jp)"). */
    public static CertificateAuthority create(String commonName, Instant now) throws GeneralSecurityException {
        Objects.requireNonNull(commonName, "commonName");
        KeyPair pair = newEcKeyPair();
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
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            cert.verify(pair.getPublic());
            return new CertificateAuthority(pair.getPrivate(), cert);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build the CA certificate", e);
        }
    }

    static KeyPair newEcKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
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
            String h = hosts.get(i);
            boolean ip = h.indexOf(':') >= 0 || h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
            names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h);
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
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
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
        return new CertificateAuthority(k, c);
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
