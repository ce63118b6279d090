package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mynaguard user add|passwd|remove|list} as an admin runs them. */
class UserCommandTest {
    private static ScanCommandTest.Run withStdin(String stdin, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return ScanCommandTest.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void addChangeListAndRemoveUsers(@TempDir Path dir) throws Exception {
        String data = dir.toString();
        ScanCommandTest.Run add = withStdin("first-password\n", "user", "add", "tanaka", "--address", "tanaka@example.co.jp",
                "--address", "t.tanaka@example.co.jp", "--password-stdin", "--data", data);
        assertEquals(0, add.exit(), add.err());
        Path file = dir.resolve("smtp-users");
        String text = Files.readString(file);
        assertFalse(text.contains("first-password"), "only the hash is stored");
        SmtpUser u = SmtpUsers.open(file).find("tanaka").orElseThrow();
        assertTrue(PasswordHash.verify("first-password".toCharArray(), u.passwordHash()));
        assertTrue(u.owns("t.tanaka@example.co.jp"));

        assertEquals(1, withStdin("x\n", "user", "add", "tanaka", "--address", "a@b.test", "--password-stdin", "--data", data).exit(),
                "no second user of the same name");
        assertEquals(0, ScanCommandTest.run("user", "add", "sato@example.co.jp", "--no-login", "--data", data).exit(),
                "an address is its own address");
        assertEquals(1, ScanCommandTest.run("user", "add", "nobody", "--no-login", "--data", data).exit(), "needs an address");

        assertEquals(0, withStdin("second-password\n", "user", "passwd", "tanaka", "--password-stdin", "--users", file.toString()).exit());
        u = SmtpUsers.open(file).find("tanaka").orElseThrow();
        assertTrue(PasswordHash.verify("second-password".toCharArray(), u.passwordHash()));

        ScanCommandTest.Run list = ScanCommandTest.run("user", "list", "--data", data);
        assertEquals(0, list.exit());
        assertEquals("tanaka\ttanaka@example.co.jp,t.tanaka@example.co.jp", list.out().get(0));
        assertEquals("sato@example.co.jp\tsato@example.co.jp\t(no login)", list.out().get(1));

        assertEquals(0, ScanCommandTest.run("user", "remove", "tanaka", "--data", data).exit());
        assertEquals(1, ScanCommandTest.run("user", "remove", "tanaka", "--data", data).exit());
        assertTrue(SmtpUsers.open(file).find("tanaka").isEmpty());
    }

    @Test
    void serveFlagsOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, "data: d\npolicy: p.yaml\nupstream: smtp.example.co.jp:587\nsmtp:\n  listen: 0.0.0.0:587\n");
        ServeCommand serve = new ServeCommand();
        serve.configFile = yaml;
        assertEquals(587, serve.config().smtpListenPort());
        assertEquals("smtp.example.co.jp", serve.config().upstream().host());
        serve.smtpListen = "127.0.0.1:2526";
        serve.upstream = "outbox";
        serve.policy = Path.of("other.yaml");
        serve.data = Path.of("elsewhere");
        assertEquals(2526, serve.config().smtpListenPort());
        assertTrue(serve.config().upstream().outbox());
        assertEquals(Path.of("other.yaml"), serve.config().policyFile());
        assertEquals(Path.of("elsewhere"), serve.config().dataDir());
    }

    @Test
    void serveRefusesAnInvalidPolicyWithItsErrors(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nrules: nope\n");
        ScanCommandTest.Run r = ScanCommandTest.run("serve", "--policy", bad.toString(), "--data", dir.resolve("d").toString(),
                "--smtp-listen", "127.0.0.1:0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("is invalid; run 'mynaguard policy check'"), r.err());
    }
}
