package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

import jp.mynaguard.certs.CaFiles;
import jp.mynaguard.certs.CaKeyType;
import jp.mynaguard.certs.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mynaguard ca init|show}: the interception CA that HTTPS clients trust so the proxy can
 * inspect uploads (and that issues the SMTP STARTTLS and console certificates).
 */
@Command(name = "ca",
        mixinStandardHelpOptions = true,
        description = {"Creates and shows the local CA (認証局) that clients trust for HTTPS inspection.",
            "Install DIR/ca.pem (or DIR/ca.cer on Windows) on clients: see docs/ca-install.md."},
        subcommands = {CaCommand.Init.class, CaCommand.Show.class})
public final class CaCommand implements Runnable {
    /** Where {@code ca init} writes and {@code serve} looks when neither is told otherwise. */
    public static final Path DEFAULT_DIR = Paths.get("data", "ca");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "init",
            mixinStandardHelpOptions = true,
            description = {"Creates a new CA: DIR/ca-key.pem (private key, mode 0600), DIR/ca.pem and DIR/ca.cer "
                    + "(the certificate in PEM and DER, for clients).",
                "Refuses when DIR already holds a CA: clients that trust the old one would all fail.",
                "",
                "Exit status: 0 = created; 1 = a CA exists (use --force) or it could not be written."})
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the CA (default: data/ca).")
        Path dir = DEFAULT_DIR;

        @Option(names = "--rsa", description = "RSA 3072 key instead of EC P-256 (for clients that cannot take an EC root).")
        boolean rsa;

        @Option(names = "--force", description = "Replace an existing CA. Every client must then trust the new one.")
        boolean force;

        @Option(names = "--name", paramLabel = "NAME",
                description = "The CA's common name (default: \"Mynaguard Local CA (HOST, DATE)\").")
        String name;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            PrintStream err = System.err;
            Instant now = Instant.now();
            String cn = name != null ? name
                    : "Mynaguard Local CA (" + localHostName() + ", " + LocalDate.ofInstant(now, ZoneOffset.UTC) + ")";
            CaKeyType type = rsa ? CaKeyType.RSA_3072 : CaKeyType.EC_P256;
            try {
                if (!force && CaFiles.exists(dir)) {
                    // Checked before generating the key: RSA 3072 takes a while, and the answer is no anyway.
                    throw new CaFiles.CaExistsException(dir);
                }
                CertificateAuthority ca = CertificateAuthority.create(cn, now, type);
                CaFiles.write(dir, ca, force);
                out.println("Created the CA in " + dir + " (" + type.label() + ").");
                print(out, dir, ca);
                out.println("Keep " + CaFiles.keyFile(dir) + " secret: whoever has it can impersonate any web site to your clients.");
                out.println("Install the certificate on clients: docs/ca-install.md");
                return 0;
            } catch (CaFiles.CaExistsException e) {
                err.println("mynaguard ca init: " + dir + " already holds a CA; replacing it makes every client that trusts it "
                        + "fail. Use --force to replace it anyway.");
                return 1;
            } catch (IOException | GeneralSecurityException e) {
                err.println("mynaguard ca init: cannot create the CA in " + dir + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "show",
            mixinStandardHelpOptions = true,
            description = {"Shows the CA's subject, validity, key and fingerprints, to compare with what clients installed.",
                "",
                "Exit status: 0 = shown; 1 = no valid CA in DIR."})
    static final class Show implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", description = "The CA directory (default: data/ca).")
        Path dir = DEFAULT_DIR;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            PrintStream err = System.err;
            if (!CaFiles.exists(dir)) {
                err.println("mynaguard ca show: no CA in " + dir + "; create one with 'mynaguard ca init --dir " + dir + "'");
                return 1;
            }
            try {
                CertificateAuthority ca = CaFiles.load(dir);
                print(out, dir, ca);
                X509Certificate c = ca.certificate();
                Instant now = Instant.now();
                if (now.isAfter(c.getNotAfter().toInstant())) {
                    out.println("WARNING: the CA certificate has expired; create a new one with 'ca init --force'.");
                }
                if (CaFiles.keyReadableByOthers(dir)) {
                    out.println("WARNING: " + CaFiles.keyFile(dir) + " is readable by other users; chmod 600 it.");
                }
                return 0;
            } catch (IOException | GeneralSecurityException e) {
                err.println("mynaguard ca show: " + e.getMessage());
                return 1;
            }
        }
    }

    static void print(PrintStream out, Path dir, CertificateAuthority ca) {
        X509Certificate c = ca.certificate();
        out.println("Subject:     " + c.getSubjectX500Principal().getName());
        out.println("Valid:       " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant());
        out.println("Key:         " + keyDescription(c));
        out.println("SHA-256:     " + ca.fingerprintSha256());
        out.println("SHA-1:       " + ca.fingerprintSha1());
        out.println("Certificate: " + CaFiles.certificatePem(dir) + " (PEM), " + CaFiles.certificateDer(dir) + " (DER)");
    }

    private static String keyDescription(X509Certificate c) {
        if (c.getPublicKey() instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (c.getPublicKey() instanceof ECPublicKey ec) {
            return "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return c.getPublicKey().getAlgorithm();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
