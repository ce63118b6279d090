package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.mynaguard.proxy.console.ApiTokens;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code user add|passwd|set --role --totp} and {@code user token}, as an admin runs them. */
class UserConsoleOptionsTest {
    private static final Pattern URI = Pattern.compile("otpauth://totp/Mynaguard:suzuki\\?secret=([A-Z2-7]+)&issuer=Mynaguard"
            + "&algorithm=SHA1&digits=6&period=30");
    private static final Pattern TOKEN = Pattern.compile("(mgt_[a-z0-9]+_[A-Za-z0-9_-]+)");

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
    void addWithRolesAndTotpPrintsTheEnrollmentUriOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        ScanCommandTest.Run add = withStdin("pw-one\n", "user", "add", "suzuki", "--address", "suzuki@example.co.jp",
                "--role", "approver,reveal", "--totp", "--password-stdin", "--users", file.toString());
        assertEquals(0, add.exit(), add.err());
        String out = String.join("\n", add.out());
        Matcher m = URI.matcher(out);
        assertTrue(m.find(), out);
        SmtpUser u = SmtpUsers.open(file).find("suzuki").orElseThrow();
        assertEquals(m.group(1), u.totpSecret());
        assertEquals(Set.of(Role.SENDER, Role.APPROVER, Role.REVEAL), u.roles());
        assertTrue(out.contains("added suzuki <suzuki@example.co.jp> (roles=approver,reveal; totp)"), out);
        assertFalse(add.err().contains(u.totpSecret()), "the secret goes to stdout only");

        ScanCommandTest.Run list = ScanCommandTest.run("user", "list", "--users", file.toString());
        assertEquals("suzuki\tsuzuki@example.co.jp\troles=approver,reveal\ttotp", list.out().get(0));
        assertFalse(String.join("", list.out()).contains(u.totpSecret()), "list never shows the secret");
    }

    @Test
    void setChangesRolesAndTotpKeepingThePassword(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        assertEquals(0, withStdin("pw-one\n", "user", "add", "sato@example.co.jp", "--password-stdin", "--users",
                file.toString()).exit());
        String hash = SmtpUsers.open(file).find("sato@example.co.jp").orElseThrow().passwordHash();
        assertEquals(0, ScanCommandTest.run("user", "set", "sato@example.co.jp", "--role", "admin", "--role", "auditor",
                "--users", file.toString()).exit());
        SmtpUser u = SmtpUsers.readForEdit(file).get(0);
        assertEquals(Set.of(Role.SENDER, Role.ADMIN, Role.AUDITOR), u.roles());
        assertEquals(hash, u.passwordHash());
        assertEquals(1, ScanCommandTest.run("user", "set", "sato@example.co.jp", "--users", file.toString()).exit(),
                "nothing to change");
        ScanCommandTest.Run bad = ScanCommandTest.run("user", "set", "sato@example.co.jp", "--role", "owner", "--users",
                file.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("unknown role 'owner'"), bad.err());
        assertEquals(0, ScanCommandTest.run("user", "set", "sato@example.co.jp", "--totp", "--users", file.toString()).exit());
        assertTrue(SmtpUsers.readForEdit(file).get(0).totpSecret() != null);
        assertEquals(0, ScanCommandTest.run("user", "set", "sato@example.co.jp", "--no-totp", "--role", "sender", "--users",
                file.toString()).exit());
        u = SmtpUsers.readForEdit(file).get(0);
        assertNull(u.totpSecret());
        assertEquals(Set.of(Role.SENDER), u.roles());

        assertEquals(0, withStdin("pw-two\n", "user", "passwd", "sato@example.co.jp", "--password-stdin", "--role",
                "approver", "--users", file.toString()).exit());
        u = SmtpUsers.readForEdit(file).get(0);
        assertTrue(PasswordHash.verify("pw-two".toCharArray(), u.passwordHash()));
        assertEquals(Set.of(Role.SENDER, Role.APPROVER), u.roles());
    }

    @Test
    void tokensArePrintedOnceStoredHashedAndRevocable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        assertEquals(0, ScanCommandTest.run("user", "add", "robot@example.co.jp", "--no-login", "--users", file.toString())
                .exit());
        ScanCommandTest.Run t = ScanCommandTest.run("user", "token", "robot@example.co.jp", "--users", file.toString());
        assertEquals(0, t.exit(), t.err());
        Matcher m = TOKEN.matcher(String.join("\n", t.out()));
        assertTrue(m.find());
        String token = m.group(1);
        SmtpUser u = SmtpUsers.readForEdit(file).get(0);
        assertEquals(1, u.tokens().size());
        assertFalse(java.nio.file.Files.readString(file).contains(token), "only the hash is stored");
        assertTrue(ApiTokens.matches(token, u.tokens().get(0)));
        assertEquals(ApiTokens.idOf(token), u.tokens().get(0).id());

        assertEquals(1, ScanCommandTest.run("user", "token", "robot@example.co.jp", "--revoke", "nosuch", "--users",
                file.toString()).exit());
        assertEquals(0, ScanCommandTest.run("user", "token", "robot@example.co.jp", "--revoke", u.tokens().get(0).id(),
                "--users", file.toString()).exit());
        assertTrue(SmtpUsers.readForEdit(file).get(0).tokens().isEmpty());
    }
}
