package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.mynaguard.proxy.hold.Role;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file's console attributes: read beside the old format, written back the same, secrets never echoed. */
class SmtpUsersFormatTest {
    private static final String HASH = PasswordHash.create("pw".toCharArray(), 1000);
    private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP";
    private static final String SHA = "ab".repeat(32);

    @Test
    void oldLinesStillMeanSendersWithoutSecondFactor() {
        Map<String, SmtpUser> u = SmtpUsers.parse(List.of("tanaka " + HASH + " tanaka@example.co.jp",
                "scanner ! scanner@example.co.jp", "bare " + HASH), "users");
        assertEquals(Set.of(Role.SENDER), u.get("tanaka").roles());
        assertNull(u.get("tanaka").totpSecret());
        assertTrue(u.get("tanaka").tokens().isEmpty());
        assertFalse(u.get("scanner").canLogIn());
        assertTrue(u.get("bare").addresses().isEmpty());
    }

    @Test
    void rolesTotpAndTokensAfterTheAddressesOrWithout() {
        Map<String, SmtpUser> u = SmtpUsers.parse(List.of(
                "suzuki " + HASH + " suzuki@example.co.jp roles=approver,REVEAL totp=" + SECRET + " tokens=abc:" + SHA,
                "boss " + HASH + " roles=admin"), "users");
        SmtpUser s = u.get("suzuki");
        assertEquals(Set.of(Role.SENDER, Role.APPROVER, Role.REVEAL), s.roles());
        assertEquals(SECRET, s.totpSecret());
        assertEquals(List.of(new SmtpUser.Token("abc", SHA)), s.tokens());
        assertEquals(Set.of(Role.SENDER, Role.ADMIN), u.get("boss").roles());
        assertTrue(u.get("boss").addresses().isEmpty());
    }

    @Test
    void writtenAndReadBackUnchanged(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("users");
        SmtpUser s = new SmtpUser("suzuki", HASH, List.of("suzuki@example.co.jp"), Set.of(Role.APPROVER, Role.AUDITOR),
                SECRET, List.of(new SmtpUser.Token("abc", SHA)));
        SmtpUsers.write(f, List.of(s, new SmtpUser("tanaka", HASH, List.of("tanaka@example.co.jp"))));
        String text = Files.readString(f);
        assertTrue(text.contains("suzuki " + HASH + " suzuki@example.co.jp roles=approver,auditor totp=" + SECRET
                + " tokens=abc:" + SHA + "\n"), text);
        assertTrue(text.contains("tanaka " + HASH + " tanaka@example.co.jp\n"), "a plain sender is written as before");
        assertEquals(s, SmtpUsers.open(f).find("suzuki").orElseThrow());
    }

    @Test
    void errorsNameTheLineAndFieldButNeverTheSecret() {
        for (String bad : List.of(
                "x " + HASH + " x@example.co.jp totp=not-base32-" + SECRET,
                "x " + HASH + " x@example.co.jp roles=approver roles=admin",
                "x " + HASH + " x@example.co.jp roles=owner",
                "x " + HASH + " x@example.co.jp tokens=nocolon" + SHA,
                "x " + HASH + " x@example.co.jp other@example.co.jp")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SmtpUsers.parse(List.of(bad), "users"), bad);
            assertTrue(e.getMessage().startsWith("users:1: "), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains(SHA), e.getMessage());
        }
    }

    @Test
    void toStringNeverShowsHashesSecretsOrTokens() {
        SmtpUser s = new SmtpUser("suzuki", HASH, List.of("suzuki@example.co.jp"), Set.of(Role.APPROVER), SECRET,
                List.of(new SmtpUser.Token("abc", SHA)));
        String t = s.toString();
        assertFalse(t.contains(HASH) || t.contains(SECRET) || t.contains(SHA), t);
        assertTrue(t.contains("suzuki") && t.contains("totp") && t.contains("tokens=1"));
    }
}
