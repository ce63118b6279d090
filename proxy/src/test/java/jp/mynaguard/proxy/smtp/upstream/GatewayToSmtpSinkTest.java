package jp.mynaguard.proxy.smtp.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.UpstreamSettings;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.CRLFOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with real peers: jakarta.mail's SMTP transport → the gateway as {@code serve}
 * builds it (real SmtpUpstream, real hold store) → Postfix's smtp-sink. What arrives is what the
 * client sent plus our Received: field; a My Number never arrives.
 */
class GatewayToSmtpSinkTest {
    @TempDir
    Path dir;

    /** Its own temp directory: smtp-sink runs as nobody and must reach it (the other is 0700). */
    @TempDir
    Path sinkDir;

    @BeforeAll
    static void needsSmtpSink() {
        assumeTrue(SmtpSink.available(), "postfix's smtp-sink is not installed (run-tests.sh installs it)");
    }

    private static Path testPolicy() throws URISyntaxException {
        return Paths.get(GatewayToSmtpSinkTest.class.getResource("/smtp/policy.yaml").toURI());
    }

    private static MimeMessage message(Session s, String to, String text) throws Exception {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("tanaka@example.co.jp"));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject("見積書", "UTF-8");
        m.setText(text, "UTF-8");
        m.saveChanges();
        return m;
    }

    @Test
    void allowedMailArrivesUnchangedBesidesReceivedAndMyNumbersNever() throws Exception {
        try (SmtpSink sink = SmtpSink.start(sinkDir)) {
            GatewayConfig config = GatewayConfig.builder()
                    .dataDir(dir.resolve("data"))
                    .policyFile(testPolicy())
                    .smtpListen("127.0.0.1:0").opsListen("127.0.0.1:0")
                    .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0"))
                    .hostname("mynaguard.test")
                    .tls(new GatewayConfig.TlsSettings(false, null, null))
                    .upstream(new UpstreamSettings("127.0.0.1", sink.port, "none", null, null, null))
                    .build();
            try (Gateway g = Gateway.start(config, GatewayComponents.DEFAULT)) {
                Properties p = new Properties();
                p.put("mail.smtp.host", "127.0.0.1");
                p.put("mail.smtp.port", Integer.toString(g.smtpAddress().getPort()));
                Session s = Session.getInstance(p);

                MimeMessage ok = message(s, "someone@partner.example.test", "お見積りをお送りします。\n.\n以上\n");
                Transport.send(ok);
                SMTPSendFailedException refused = assertThrows(SMTPSendFailedException.class,
                        () -> Transport.send(message(s, "someone@partner.example.test", "マイナンバー: 0858-1525-1054\n")));
                assertEquals(550, refused.getReturnCode());

                // The relayed mail, the sender's notice and the security team's incident alert (HIGH to outside).
                java.util.List<String> captures = sink.captures(3);
                String capture = captures.stream().filter(c -> c.contains("X-Mail-Args: <tanaka@")).findFirst().orElseThrow();
                assertTrue(captures.stream().anyMatch(c -> c.contains("X-Mail-Args: <>")
                        && c.contains("X-Rcpt-Args: <security@example.co.jp>")), "no incident alert in " + captures);
                String notice = captures.stream().filter(c -> c.contains("X-Mail-Args: <>")
                        && c.contains("X-Rcpt-Args: <tanaka@")).findFirst().orElseThrow(
                        () -> new AssertionError("no notice from the null sender in " + captures));
                assertTrue(capture.contains("X-Mail-Args: <tanaka@example.co.jp>\n"), capture);
                String arrived = SmtpSink.message(capture);
                assertTrue(arrived.startsWith("Received: from "), arrived);
                int end = arrived.indexOf("\n", arrived.indexOf(";\n\t") + 3) + 1;
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                try (CRLFOutputStream crlf = new CRLFOutputStream(sent)) {
                    ok.writeTo(crlf);
                }
                String expected = sent.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
                // The SMTP transport ends the content with a line break before the final dot.
                assertEquals(expected.endsWith("\n") ? expected : expected + "\n", arrived.substring(end));
                assertTrue(notice.contains("X-Rcpt-Args: <tanaka@example.co.jp>\n"),
                        "the sender's notice went out through the same upstream, from the null sender: " + notice);
                assertTrue(!notice.contains("1054") && !capture.contains("1054"), "no digits of the number reached the smarthost");
            }
        }
    }
}
