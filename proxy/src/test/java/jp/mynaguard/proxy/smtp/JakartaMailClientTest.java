package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real mail client (jakarta.mail's SMTP transport) against the gateway: STARTTLS, AUTH, the three answers. */
class JakartaMailClientTest {
    private static Session session(int port, boolean tlsAndAuth) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "30000");
        if (tlsAndAuth) {
            p.put("mail.smtp.auth", "true");
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.socketFactory", TestGateway.tls().client().getSocketFactory());
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        return Session.getInstance(p);
    }

    private static MimeMessage message(Session s, String to, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("tanaka@example.co.jp", "田中 太郎", "UTF-8"));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        m.saveChanges();
        return m;
    }

    private static void send(Session s, MimeMessage m) throws Exception {
        try (Transport t = s.getTransport("smtp")) {
            t.connect("tanaka", TestGateway.PASSWORD);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    @Test
    void allowedMailOverStartTlsWithAuthIsRelayedUnchanged() throws Exception {
        try (TestGateway gw = new TestGateway(b -> {
            b.relayNetworks(java.util.List.of());
            try {
                b.tls(TestGateway.tls().server());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })) {
            Session s = session(gw.port(), true);
            MimeMessage m = message(s, "someone@partner.example.test", "議事録", "本日の議事録です。\n.dot line\n");
            send(s, m);
            assertEquals(1, gw.upstream.messages().size());
            RecordingUpstream.Delivery d = gw.upstream.messages().get(0);
            assertEquals("tanaka@example.co.jp", d.mailFrom());
            assertTrue(d.text().contains("with ESMTPSA id"), d.text());
            assertArrayEquals(onTheWire(m), CorpusRelayTest.withoutReceived(d.content()));
        }
    }

    /** What the SMTP transport sends for {@code m}: line ends made CRLF, and a final CRLF. */
    static byte[] onTheWire(MimeMessage m) throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (org.eclipse.angus.mail.util.CRLFOutputStream crlf = new org.eclipse.angus.mail.util.CRLFOutputStream(sent)) {
            m.writeTo(crlf);
        }
        byte[] b = sent.toByteArray();
        if (b.length < 2 || b[b.length - 2] != '\r' || b[b.length - 1] != '\n') {
            sent.write('\r');
            sent.write('\n');
        }
        return sent.toByteArray();
    }

    @Test
    void myNumberIsRefusedWith550AndAReference() throws Exception {
        try (TestGateway gw = new TestGateway(b -> { })) {
            Session s = session(gw.port(), false);
            MimeMessage m = message(s, "someone@partner.example.test", "名簿", "マイナンバー: 0858-1525-1054\n");
            SMTPSendFailedException e = assertThrows(SMTPSendFailedException.class, () -> Transport.send(m));
            assertEquals(550, e.getReturnCode());
            assertTrue(e.getMessage().matches("(?s).*5\\.7\\.1 Message refused: contains personal data \\(My Number\\)\\. Ref [A-Z2-9]{8}.*"),
                    e.getMessage());
            assertEquals(0, gw.upstream.messages().size());
        }
    }

    @Test
    void quarantinedMailIsAcceptedOnlyOnceStored() throws Exception {
        try (TestGateway gw = new TestGateway(b -> { })) {
            Session s = session(gw.port(), false);
            Transport.send(message(s, "a@review.example.test", "名簿", "マイナンバー: 0858-1525-1054\n"));
            assertEquals(1, gw.holds.items.size());
            assertEquals(jp.mynaguard.proxy.hold.HoldKind.QUARANTINE, gw.holds.items.get(0).kind());
            assertEquals("review-quarantine", gw.holds.items.get(0).rule());
            assertTrue(gw.holds.items.get(0).findingsSummary().startsWith("MY_NUMBER HIGH x1"));

            gw.holds.failing = true;
            SMTPSendFailedException e = assertThrows(SMTPSendFailedException.class,
                    () -> Transport.send(message(s, "a@review.example.test", "名簿", "マイナンバー: 0858-1525-1054\n")));
            assertEquals(451, e.getReturnCode());
            assertEquals(1, gw.holds.items.size());
        }
    }

    @Test
    void largeMessagesAreSpooledToDiskAndTheSpoolIsCleanedUp(@TempDir Path spool) throws Exception {
        try (TestGateway gw = new TestGateway(b -> b.spoolDirectory(spool).spoolThreshold(64 * 1024))) {
            Session s = session(gw.port(), false);
            StringBuilder body = new StringBuilder();
            for (int i = 0; body.length() < 3_000_000; i++) {
                body.append("line ").append(i).append(" of a large attachment-free message\n");
            }
            MimeMessage m = message(s, "someone@partner.example.test", "large", body.toString());
            Transport.send(m);
            RecordingUpstream.Delivery d = gw.upstream.messages().get(0);
            assertArrayEquals(onTheWire(m), CorpusRelayTest.withoutReceived(d.content()));
            try (Stream<Path> left = Files.list(spool)) {
                assertEquals(0, left.count(), "spool files deleted");
            }
        }
    }
}
