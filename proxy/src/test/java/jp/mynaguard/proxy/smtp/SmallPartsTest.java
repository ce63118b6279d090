package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsers and value types of the SMTP server. */
class SmallPartsTest {
    @Test
    void mailArguments() throws Exception {
        MailArguments a = MailArguments.parse("FROM:<tanaka@example.co.jp> SIZE=123 BODY=8BITMIME", "FROM:");
        assertEquals("tanaka@example.co.jp", a.address());
        assertEquals(Map.of("SIZE", "123", "BODY", "8BITMIME"), a.parameters());
        assertEquals("", MailArguments.parse("from:<>", "FROM:").address());
        assertEquals("b@c.test", MailArguments.parse("TO: <@relay.test,@r2.test:b@c.test>", "TO:").address());
        assertEquals("postmaster", MailArguments.parse("TO:<Postmaster>", "TO:").address().toLowerCase());
        assertEquals("\"a b\"@c.test", MailArguments.parse("TO:<\"a b\"@c.test>", "TO:").address());
        for (String bad : new String[] {"FROM:a@b.test", "FROM:<a@b.test", "FROM:<a b@c.test>", "FROM:<a@-b.test>",
                                        "FROM:<a@b..test>", "FROM:<user>", "FROM:<a@b.test> SIZE=1 SIZE=2",
                                        "FROM:<a@b.test> =x", "TO:<a@b.test>", "FROM:<" + "x".repeat(65) + "@b.test>"}) {
            assertThrows(MailArguments.SyntaxException.class, () -> MailArguments.parse(bad, "FROM:"), bad);
        }
        assertTrue(MailArguments.parse("FROM:<田中@例え.jp> SMTPUTF8", "FROM:").needsUtf8());
    }

    @Test
    void commandDecoder() {
        SmtpRequest r = (SmtpRequest) SmtpCommandDecoder.decode(Unpooled.copiedBuffer("mail FROM:<a@b>", StandardCharsets.US_ASCII));
        assertEquals(SmtpVerb.MAIL, r.verb());
        assertEquals("FROM:<a@b>", r.argument());
        assertEquals(SmtpVerb.UNKNOWN, ((SmtpRequest) SmtpCommandDecoder.decode(
                Unpooled.copiedBuffer("MAILX", StandardCharsets.US_ASCII))).verb());
        assertEquals(SmtpCommandDecoder.MALFORMED, SmtpCommandDecoder.decode(Unpooled.wrappedBuffer(new byte[] {'N', 0, 'P'})));
        assertEquals(SmtpCommandDecoder.MALFORMED, SmtpCommandDecoder.decode(Unpooled.wrappedBuffer(new byte[] {'A', (byte) 0xff})));
        SmtpRequest utf8 = (SmtpRequest) SmtpCommandDecoder.decode(Unpooled.copiedBuffer("RCPT TO:<田中@例え.jp>", StandardCharsets.UTF_8));
        assertTrue(utf8.utf8());
    }

    @Test
    void replyEncoderNeverForgesALine() {
        EmbeddedChannel ch = new EmbeddedChannel(SmtpReplyEncoder.INSTANCE);
        ch.writeOutbound(new SmtpReply(250, "2.0.0", List.of("one\r\n250 forged", "två")));
        io.netty.buffer.ByteBuf b = ch.readOutbound();
        assertEquals("250-2.0.0 one  250 forged\r\n250 2.0.0 tv?\r\n", b.toString(StandardCharsets.US_ASCII));
        b.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void saslPlainAndLogin() {
        AuthExchange plain = new AuthExchange();
        String b64 = Base64.getEncoder().encodeToString("\0tanaka\0pw".getBytes(StandardCharsets.UTF_8));
        AuthExchange.Credentials c = assertInstanceOf(AuthExchange.Credentials.class, plain.start("PLAIN " + b64));
        assertEquals("tanaka", c.user());
        assertEquals("pw", new String(c.password()));
        assertFalse(c.toString().contains("pw"), "no password in toString");

        String other = Base64.getEncoder().encodeToString("sato\0tanaka\0pw".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(AuthExchange.Failed.class, new AuthExchange().start("PLAIN " + other), "no authzid other than self");
        assertInstanceOf(AuthExchange.Failed.class, new AuthExchange().start("PLAIN !!!"));
        assertInstanceOf(AuthExchange.Failed.class, new AuthExchange().start("CRAM-MD5"));

        AuthExchange login = new AuthExchange();
        assertEquals("VXNlcm5hbWU6", ((AuthExchange.Challenge) login.start("LOGIN")).text());
        assertEquals("UGFzc3dvcmQ6", ((AuthExchange.Challenge) login.respond("dGFuYWth")).text());
        assertEquals("tanaka", ((AuthExchange.Credentials) login.respond("cHc=")).user());
        AuthExchange cancelled = new AuthExchange();
        cancelled.start("PLAIN");
        assertEquals(AuthExchange.CANCELLED, ((AuthExchange.Failed) cancelled.respond("*")).reply());
    }

    @Test
    void passwordHashes() {
        String h = PasswordHash.create("s3cret".toCharArray(), 1000);
        assertTrue(h.startsWith("pbkdf2-sha256:1000:"));
        assertTrue(PasswordHash.verify("s3cret".toCharArray(), h));
        assertFalse(PasswordHash.verify("s3creT".toCharArray(), h));
        assertFalse(PasswordHash.verify("x".toCharArray(), SmtpUsers.DISABLED));
        assertFalse(h.equals(PasswordHash.create("s3cret".toCharArray(), 1000)), "salted");
    }

    @Test
    void usersFileRoundTripIsPrivateAndReloadsOnChange(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("users");
        SmtpUsers.write(f, List.of(new SmtpUser("tanaka", PasswordHash.create("a".toCharArray(), 1000),
                List.of("Tanaka@Example.co.jp", "*@shop.example.co.jp"))));
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(f));
        }
        SmtpUsers users = SmtpUsers.open(f);
        SmtpUser u = users.find("tanaka").orElseThrow();
        assertTrue(u.owns("TANAKA@example.co.jp"));
        assertTrue(u.owns("sales@shop.example.co.jp"));
        assertFalse(u.owns("sales@evil.shop.example.co.jp.evil.test"));
        assertFalse(u.owns("sato@example.co.jp"));
        Thread.sleep(1100);
        List<SmtpUser> edit = SmtpUsers.readForEdit(f);
        edit.add(new SmtpUser("sato", SmtpUsers.DISABLED, List.of("sato@example.co.jp")));
        SmtpUsers.write(f, edit);
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertTrue(users.find("sato").isPresent(), "changes are seen without a restart");
        Files.writeString(f, "broken line\n");
        assertThrows(IllegalArgumentException.class, () -> SmtpUsers.readForEdit(f));
    }

    @Test
    void networks() {
        assertTrue(Cidr.parse("10.0.0.0/8").contains(InetAddress.getLoopbackAddress()) == false);
        assertTrue(Cidr.parse("127.0.0.0/8").contains(InetAddress.getLoopbackAddress()));
        assertTrue(Cidr.parse("192.0.2.0/25").contains(addr("192.0.2.127")));
        assertFalse(Cidr.parse("192.0.2.0/25").contains(addr("192.0.2.128")));
        assertTrue(Cidr.parse("2001:db8::/32").contains(addr("2001:db8::1")));
        assertFalse(Cidr.parse("2001:db8::/32").contains(addr("192.0.2.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("mail.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    }

    private static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rateLimiter() {
        CommandRateLimiter r = new CommandRateLimiter(10, 3, 0);
        assertTrue(r.tryAcquire(0));
        assertTrue(r.tryAcquire(0));
        assertTrue(r.tryAcquire(0));
        assertFalse(r.tryAcquire(0));
        assertTrue(r.tryAcquire(100_000_000L), "one token back after 100 ms at 10/s");
    }

    @Test
    void receivedHeaderCleansWhatTheClientSaid() {
        String h = new String(ReceivedHeader.build("evil (x); by=\"y\"", "192.0.2.1", "mx.test", "ESMTPSA",
                "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256", "ABCDEFGH", List.of("a@b.test", "c@d.test"),
                java.time.ZonedDateTime.parse("2026-11-27T10:00:00+09:00")), StandardCharsets.US_ASCII);
        assertEquals("Received: from evil__x___by=_y_ ([192.0.2.1])\r\n\tby mx.test (Mynaguard)\r\n"
                + "\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256)\r\n\twith ESMTPSA id ABCDEFGH;\r\n"
                + "\tFri, 27 Nov 2026 10:00:00 +0900\r\n", h);
    }
}
