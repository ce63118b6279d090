package jp.mynaguard.certs;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The interception CA in a directory, as {@code mynaguard ca init} writes it and the gateway reads
 * it:
 * <ul>
 *   <li>{@value #KEY_FILE}: the private key, PKCS#8 PEM, mode 0600 from the moment it exists
 *       (created with that mode, never chmod-ed afterwards);</li>
 *   <li>{@value #CERTIFICATE_PEM}: the certificate in PEM (Linux, macOS, Firefox, Java, Node, Python);</li>
 *   <li>{@value #CERTIFICATE_DER}: the same certificate in DER (Windows and Android import it).</li>
 * </ul>
 * Each file is written to a temporary name, synced and renamed, so a crash leaves either the old
 * or the new file, never half a key.
 */
public final class CaFiles {
    public static final String KEY_FILE = "ca-key.pem";
    public static final String CERTIFICATE_PEM = "ca.pem";
    public static final String CERTIFICATE_DER = "ca.cer";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private CaFiles() {
    }

    /** Thrown instead of overwriting a CA without {@code force}: clients already trust the old one. */
    public static final class CaExistsException extends FileAlreadyExistsException {
        private static final long serialVersionUID = 1L;

        public CaExistsException(Path dir) {
            super(dir.toString(), null, "a CA already exists there; replacing it makes every client that trusts it "
                    + "fail, so it needs --force");
        }
    }

    public static Path keyFile(Path dir) {
        return dir.resolve(KEY_FILE);
    }

    public static Path certificatePem(Path dir) {
        return dir.resolve(CERTIFICATE_PEM);
    }

    public static Path certificateDer(Path dir) {
        return dir.resolve(CERTIFICATE_DER);
    }

    /** Whether {@code dir} holds a CA key and certificate (not whether they are valid: {@link #load} says). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(keyFile(dir)) && Files.isRegularFile(certificatePem(dir));
    }

    /**
     * Writes {@code ca} to {@code dir}, creating the directory (mode 0700) when missing.
     *
     * @param force replace an existing CA; without it any of the three files being there is an error
     * @throws CaExistsException when a CA file exists and {@code force} is false
     */
    public static void write(Path dir, CertificateAuthority ca, boolean force) throws IOException {
        if (!force) {
            for (Path p : List.of(keyFile(dir), certificatePem(dir), certificateDer(dir))) {
                if (Files.exists(p)) {
                    throw new CaExistsException(dir);
                }
            }
        }
        if (!Files.isDirectory(dir)) {
            createPrivateDirectories(dir);
        }
        StringWriter key = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(key)) {
            // PKCS#8 ("BEGIN PRIVATE KEY") for EC and RSA alike: what Netty, OpenSSL and Go all read.
            w.writeObject(new JcaPKCS8Generator(ca.privateKey(), null));
        }
        // The key first: a certificate without its key would be a CA nobody can use.
        replace(dir, KEY_FILE, key.toString().getBytes(StandardCharsets.US_ASCII), true);
        replace(dir, CERTIFICATE_PEM, ca.certificatePem().getBytes(StandardCharsets.US_ASCII), false);
        replace(dir, CERTIFICATE_DER, ca.certificateDer(), false);
    }

    /**
     * Reads the CA written by {@link #write}.
     *
     * @throws java.nio.file.NoSuchFileException when a file is missing
     * @throws GeneralSecurityException when the files are not a CA certificate and its key
     */
    public static CertificateAuthority load(Path dir) throws IOException, GeneralSecurityException {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certificatePem(dir))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.cert.CertificateException e) {
            throw new GeneralSecurityException(certificatePem(dir) + " is not a PEM certificate", e);
        }
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyFile(dir), StandardCharsets.US_ASCII);
             PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                key = conv.getPrivateKey(info);
            } else if (o instanceof PEMKeyPair pair) {
                // "BEGIN EC/RSA PRIVATE KEY", as openssl writes by default: accepted for CAs made with openssl.
                key = conv.getKeyPair(pair).getPrivate();
            } else {
                throw new GeneralSecurityException(keyFile(dir) + " holds no unencrypted private key");
            }
        }
        try {
            return CertificateAuthority.restore(key, cert);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the key file can be read by anyone but its owner (group or other permission bits).
     * {@code false} on file systems without POSIX permissions, whose ACLs this cannot judge.
     */
    public static boolean keyReadableByOthers(Path dir) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(keyFile(dir), PosixFileAttributeView.class);
        if (view == null) {
            return false;
        }
        Set<PosixFilePermission> p = view.readAttributes().permissions();
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
    }

    private static void replace(Path dir, String name, byte[] content, boolean secret) throws IOException {
        Path tmp = secret && posix(dir)
                ? Files.createTempFile(dir, "." + name + "-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + name + "-", ".tmp", new FileAttribute<?>[0]);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            if (!secret && posix(dir)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (posix(parent)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        } else {
            Files.createDirectory(dir);
        }
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
