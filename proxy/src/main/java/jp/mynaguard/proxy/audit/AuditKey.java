package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * The key that signs the audit trail's checkpoints: Ed25519 from the JDK. Chosen over an HMAC
 * because verifying needs only the public half: an auditor can check a copy of the log anywhere
 * with {@code audit-signing.pub} (best kept off the host too) and can not forge a seal with it.
 *
 * <pre>
 * AUDIT_DIR/audit-signing.key   private key, PKCS#8, base64, 0600, created on first start;
 *                               refused if group or others may read it
 * AUDIT_DIR/audit-signing.pub   public key, X.509, base64
 * </pre>
 */
public final class AuditKey {
    static final String PRIVATE_FILE = "audit-signing.key";
    public static final String PUBLIC_FILE = "audit-signing.pub";
    private static final String ALGORITHM = "Ed25519";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String id;

    private AuditKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.id = idOf(publicKey);
    }

    /** The key in {@code dir}, created (both halves) if there is none yet. */
    static AuditKey loadOrCreate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        try {
            if (!Files.exists(priv)) {
                KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
                writePrivate(priv, pair.getPrivate());
                Files.writeString(pub, base64(pair.getPublic().getEncoded()) + "\n", StandardCharsets.US_ASCII);
                return new AuditKey(pair.getPrivate(), pair.getPublic());
            }
            checkPrivate(priv);
            KeyFactory f = KeyFactory.getInstance(ALGORITHM);
            PrivateKey p = f.generatePrivate(new PKCS8EncodedKeySpec(decode(priv)));
            PublicKey q = readPublic(pub);
            AuditKey key = new AuditKey(p, q);
            byte[] probe = "mynaguard audit key check".getBytes(StandardCharsets.US_ASCII);
            if (!verify(q, probe, key.sign(probe))) {
                throw new IOException(pub + " is not the public half of " + priv);
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot use the audit signing key in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code pair} as the key of {@code dir}, as {@link #loadOrCreate} would (tests pick keys with it). */
    static void write(Path dir, KeyPair pair) throws IOException {
        writePrivate(dir.resolve(PRIVATE_FILE), pair.getPrivate());
        Files.writeString(dir.resolve(PUBLIC_FILE), base64(pair.getPublic().getEncoded()) + "\n", StandardCharsets.US_ASCII);
    }

    /** A public key file, for verifying. */
    public static PublicKey readPublic(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(file)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    /** First 16 hex digits of the SHA-256 of the public key: printed and recorded so copies can be compared. */
    public static String idOf(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id as a record field: written as is, never redacted ({@link AuditJson.OwnValue}). */
    Object idField() {
        return new AuditJson.OwnValue(id);
    }

    String id() {
        return id;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    String sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return base64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    static boolean verify(PublicKey key, byte[] data, String signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void writePrivate(Path file, PrivateKey key) throws IOException {
        byte[] text = (base64(key.getEncoded()) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while it was being created; refusing to overwrite it", e);
        }
        Files.write(file, text);
    }

    private static void checkPrivate(Path file) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException(file + " may be read by others (" + PosixFilePermissions.toString(perms)
                        + "); chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // Not POSIX: the directory's ACL applies.
        }
    }

    private static byte[] decode(Path file) throws IOException {
        return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
