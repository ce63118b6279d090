package jp.mynaguard.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

/**
 * The CA's key: EC P-256 by default (small, fast to sign with, accepted everywhere that matters);
 * RSA 3072 for clients that cannot take an EC root (old Windows or appliance trust stores).
 */
public enum CaKeyType {
    EC_P256("EC P-256", "SHA256withECDSA"),
    RSA_3072("RSA 3072", "SHA256withRSA");

    private final String label;
    private final String signatureAlgorithm;

    CaKeyType(String label, String signatureAlgorithm) {
        this.label = label;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** For people: "EC P-256", "RSA 3072". */
    public String label() {
        return label;
    }

    /** What certificates signed with a key of this type use. */
    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    KeyPair generate(SecureRandom random) throws GeneralSecurityException {
        if (this == EC_P256) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072, random);
        return g.generateKeyPair();
    }

    /** The type of an existing key; other EC curves and RSA sizes are refused so the CA stays one of the two. */
    static CaKeyType of(PublicKey key) throws GeneralSecurityException {
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            return EC_P256;
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
            // Older CAs with 2048-bit keys still load; new ones are 3072.
            return RSA_3072;
        }
        throw new GeneralSecurityException("unsupported CA key: " + key.getAlgorithm()
                + " (expected EC P-256 or RSA 3072)");
    }
}
