package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import jp.mynaguard.certs.CaFiles;
import jp.mynaguard.certs.CaKeyType;
import jp.mynaguard.certs.CertificateAuthority;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mynaguard ca init|show} as an admin runs them. */
class CaCommandTest {
    @Test
    void initWritesTheCaAndShowPrintsItsFingerprint(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ca");
        ScanCommandTest.Run init = ScanCommandTest.run("ca", "init", "--dir", dir.toString());
        assertEquals(0, init.exit(), init.err());
        CertificateAuthority ca = CaFiles.load(dir);
        assertEquals(CaKeyType.EC_P256, ca.keyType());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(CaFiles.keyFile(dir))));
        assertTrue(init.out().contains("SHA-256:     " + ca.fingerprintSha256()), init.out().toString());
        assertTrue(ca.certificate().getSubjectX500Principal().getName().startsWith("CN=Mynaguard Local CA ("));

        ScanCommandTest.Run show = ScanCommandTest.run("ca", "show", "--dir", dir.toString());
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("SHA-256:     " + ca.fingerprintSha256()), show.out().toString());
        assertTrue(show.out().contains("Key:         EC P-256"), show.out().toString());
        assertTrue(show.out().stream().anyMatch(l -> l.startsWith("Valid:       ")));
        assertTrue(show.out().stream().noneMatch(l -> l.startsWith("WARNING")), show.out().toString());
    }

    @Test
    void initRefusesToReplaceWithoutForce(@TempDir Path dir) throws Exception {
        assertEquals(0, ScanCommandTest.run("ca", "init", "--dir", dir.toString()).exit());
        String before = CaFiles.load(dir).fingerprintSha256();

        ScanCommandTest.Run again = ScanCommandTest.run("ca", "init", "--dir", dir.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(before, CaFiles.load(dir).fingerprintSha256());

        ScanCommandTest.Run forced = ScanCommandTest.run("ca", "init", "--dir", dir.toString(), "--force", "--rsa", "--name", "Lab CA");
        assertEquals(0, forced.exit(), forced.err());
        CertificateAuthority ca = CaFiles.load(dir);
        assertEquals(CaKeyType.RSA_3072, ca.keyType());
        assertEquals("CN=Lab CA,O=Mynaguard", ca.certificate().getSubjectX500Principal().getName());
        assertTrue(!before.equals(ca.fingerprintSha256()));
    }

    @Test
    void showWithoutCaSaysHowToMakeOne(@TempDir Path dir) {
        ScanCommandTest.Run show = ScanCommandTest.run("ca", "show", "--dir", dir.toString());
        assertEquals(1, show.exit());
        assertTrue(show.err().contains("mynaguard ca init --dir"), show.err());
    }

    @Test
    void showWarnsAboutAReadableKey(@TempDir Path dir) throws Exception {
        assertEquals(0, ScanCommandTest.run("ca", "init", "--dir", dir.toString()).exit());
        Files.setPosixFilePermissions(CaFiles.keyFile(dir), PosixFilePermissions.fromString("rw-r--r--"));
        ScanCommandTest.Run show = ScanCommandTest.run("ca", "show", "--dir", dir.toString());
        assertEquals(0, show.exit());
        assertTrue(show.out().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("chmod 600")), show.out().toString());
    }
}
