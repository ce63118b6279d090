package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import jp.mynaguard.certs.CertificateAuthority;

import org.junit.jupiter.api.Test;

/** The tunnel's small parts on their own: ClientHello parsing, routing, host patterns, alert reading. */
class TunnelPartsTest {
    private static ByteBuf helloBody(String sni, List<String> alpn) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Parts CA", Instant.now());
        byte[] record = TlsClients.clientHello(TlsClients.engine(TlsClients.trusting(ca.certificate()), sni, alpn, false));
        // record header (5) + handshake header (4), as SslClientHelloHandler hands the body over
        return Unpooled.wrappedBuffer(record, 9, record.length - 9);
    }

    @Test
    void readsSniAndAlpnFromARealClientHello() throws Exception {
        ByteBuf body = helloBody("Upload.Example.Test", List.of("h2", "http/1.1"));
        ClientHelloInfo info = ClientHelloInfo.parse(body);
        assertEquals("upload.example.test", info.serverName());
        assertEquals(List.of("h2", "http/1.1"), info.alpn());
        assertEquals(0, body.readerIndex(), "nothing consumed");

        ClientHelloInfo none = ClientHelloInfo.parse(helloBody(null, List.of()));
        assertNull(none.serverName());
        assertEquals(List.of(), none.alpn());
    }

    @Test
    void truncatedClientHellosAreRejected() throws Exception {
        ByteBuf body = helloBody("upload.example.test", List.of("http/1.1"));
        for (int cut : new int[] {0, 10, 40, body.readableBytes() / 2, body.readableBytes() - 1}) {
            ByteBuf part = body.slice(0, cut);
            assertThrows(IllegalArgumentException.class, () -> ClientHelloInfo.parse(part), "cut at " + cut);
        }
    }

    @Test
    void routesByListAndSni() {
        TunnelSettings s = TunnelSettings.builder()
                .passthroughHosts(List.of("bank.example.test", "*.pinned.example.test", "192.0.2.5"))
                .plainHosts(List.of("legacy.example.test"))
                .build();
        ConnectTarget bank = ConnectTarget.parse("bank.example.test:443");
        ConnectTarget pinned = ConnectTarget.parse("api.pinned.example.test:443");
        ConnectTarget apex = ConnectTarget.parse("pinned.example.test:443");
        ConnectTarget ip = ConnectTarget.parse("192.0.2.5:443");
        ConnectTarget other = ConnectTarget.parse("upload.example.test:443");

        assertEquals(TunnelRoute.PASSTHROUGH, TunnelRoute.forClientHello(s, bank, new ClientHelloInfo("bank.example.test", List.of())));
        assertEquals(TunnelRoute.INTERCEPT, TunnelRoute.forClientHello(s, bank, new ClientHelloInfo("upload.example.test", List.of())));
        assertEquals(TunnelRoute.INTERCEPT, TunnelRoute.forClientHello(s, bank, new ClientHelloInfo(null, List.of())));
        assertEquals(TunnelRoute.PASSTHROUGH, TunnelRoute.forClientHello(s, pinned, new ClientHelloInfo("api.pinned.example.test", List.of())));
        assertEquals(TunnelRoute.INTERCEPT, TunnelRoute.forClientHello(s, apex, new ClientHelloInfo("pinned.example.test", List.of())),
                "*.domain does not cover the domain itself");
        assertEquals(TunnelRoute.PASSTHROUGH, TunnelRoute.forClientHello(s, ip, new ClientHelloInfo(null, List.of())),
                "an IP literal has no SNI");
        assertEquals(TunnelRoute.INTERCEPT, TunnelRoute.forClientHello(s, ip, new ClientHelloInfo("bank.example.test", List.of())));
        assertEquals(TunnelRoute.INTERCEPT, TunnelRoute.forClientHello(s, other, new ClientHelloInfo("bank.example.test", List.of())),
                "a listed SNI never opens an unlisted CONNECT host");

        assertEquals(TunnelRoute.PLAIN_RELAY, TunnelRoute.withoutClientHello(s, ConnectTarget.parse("legacy.example.test:443"), false));
        assertEquals(TunnelRoute.REFUSE_NOT_TLS, TunnelRoute.withoutClientHello(s, other, false));
        assertEquals(TunnelRoute.REFUSE_MALFORMED, TunnelRoute.withoutClientHello(s, ConnectTarget.parse("legacy.example.test:443"), true));
    }

    @Test
    void hostPatternsNormaliseAndRejectNonsense() {
        HostPatterns p = new HostPatterns(List.of("Bücher.Example", "*.Example.Test"));
        assertTrue(p.matches("xn--bcher-kva.example"));
        assertTrue(p.matches("a.b.example.test"));
        assertFalse(p.matches("example.test"));
        assertFalse(p.matches("notexample.test"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HostPatterns(List.of("bank example")));
        assertTrue(e.getMessage().contains("'bank example'"));
        assertThrows(IllegalArgumentException.class, () -> new HostPatterns(List.of("a.*.example")));
    }

    @Test
    void settingsDefaultsAndLimits() {
        TunnelSettings d = TunnelSettings.DEFAULTS;
        assertEquals(java.util.Set.of(443), d.allowedPorts());
        assertTrue(d.portAllowed(443));
        assertFalse(d.portAllowed(8443));
        assertEquals(TunnelSettings.DEFAULT_CLIENT_HELLO_TIMEOUT, d.clientHelloTimeout());
        assertThrows(IllegalArgumentException.class, () -> TunnelSettings.builder().allowedPorts(java.util.Set.of()).build());
        assertThrows(IllegalArgumentException.class, () -> TunnelSettings.builder().allowedPorts(java.util.Set.of(0)).build());
        assertThrows(IllegalArgumentException.class, () -> TunnelSettings.builder().clientHelloTimeout(java.time.Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> TunnelSettings.builder().maxClientHelloBytes(100).build());
    }

    @Test
    void sniffsAPlaintextAlertSplitAcrossReads() {
        PlaintextAlertSniffer sniffer = new PlaintextAlertSniffer();
        EmbeddedChannel ch = new EmbeddedChannel(sniffer);
        // A ChangeCipherSpec record, then an alert record cut in the middle of its header.
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {20, 3, 3, 0, 1, 1, 21, 3}));
        assertNull(sniffer.alert());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 0, 2, 2, 48}));
        assertEquals("unknown_ca", sniffer.alert());
        ByteBuf passed;
        int total = 0;
        while ((passed = ch.readInbound()) != null) {
            total += passed.readableBytes();
            passed.release();
        }
        assertEquals(13, total, "bytes pass on untouched");

        PlaintextAlertSniffer encrypted = new PlaintextAlertSniffer();
        EmbeddedChannel e = new EmbeddedChannel(encrypted);
        e.writeInbound(Unpooled.wrappedBuffer(new byte[] {23, 3, 3, 0, 19, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}));
        assertNull(encrypted.alert(), "encrypted records are the engine's to read");
        e.finishAndReleaseAll();
        ch.finishAndReleaseAll();
    }

    @Test
    void classifiesHandshakeFailures() {
        assertEquals("certificate_unknown",
                InterceptionWatcher.rejection(new SSLHandshakeException("Received fatal alert: certificate_unknown")));
        assertEquals("unknown_ca", InterceptionWatcher.rejection(new io.netty.handler.codec.DecoderException(
                new javax.net.ssl.SSLException("error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"))));
        assertEquals("bad_certificate", InterceptionWatcher.rejection(new SSLHandshakeException("Received fatal alert: bad_certificate")));
        assertEquals(InterceptionWatcher.CLOSED_AFTER_CERTIFICATE, InterceptionWatcher.rejection(new ClosedChannelException()));
        assertEquals(InterceptionWatcher.CLOSED_AFTER_CERTIFICATE,
                InterceptionWatcher.rejection(new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress")));
        assertNull(InterceptionWatcher.rejection(new SSLHandshakeException("no cipher suites in common")));
    }

    @Test
    void auditMasksNumberLikeHostNames() {
        assertEquals("****-****-****.evil.example", TunnelAudit.masked("1234-5678-9012.evil.example"));
        assertEquals("192.168.100.200", TunnelAudit.masked("192.168.100.200"));
    }
}
