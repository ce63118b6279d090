package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import jp.mynaguard.certs.CertificateAuthority;
import jp.mynaguard.certs.LeafCertificateCache;
import jp.mynaguard.proxy.audit.AuditEvent;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tunnel on an {@link EmbeddedChannel} with the router's contract played by
 * {@link TestTunnelProxy.ConnectRouter}: every step runs on the test thread, DNS is a map,
 * and a relayed tunnel's origin is another EmbeddedChannel.
 */
class TunnelOpenerEmbeddedTest {
    static CertificateAuthority ca;
    static LeafCertificateCache leaves;

    final RecordingAudit audit = new RecordingAudit();
    final FixedAnswerExchange exchange = new FixedAnswerExchange();
    final List<EmbeddedChannel> origins = new ArrayList<>();
    final List<InetSocketAddress> connectedTo = new ArrayList<>();

    @BeforeAll
    static void ca() throws Exception {
        ca = CertificateAuthority.create("Embedded Test CA", Instant.now());
        leaves = LeafCertificateCache.forAuthority(ca);
    }

    private TunnelOpener opener(TunnelSettings settings, boolean allowPrivate) throws Exception {
        return TunnelOpener.builder()
                .settings(settings)
                .guard(new DestinationGuard(allowPrivate))
                .certificates(leaves)
                .exchange(exchange)
                .audit(audit)
                .resolver(TunnelOpener.Resolver.withNames(Map.of(
                        "upload.example.test", InetAddress.getByName("198.51.100.7"),
                        "bank.example.test", InetAddress.getByName("198.51.100.8"),
                        "intranet.example.test", InetAddress.getByName("10.1.2.3")), host -> {
                            // Literals parse without DNS; no other name exists in these tests.
                            if (jp.mynaguard.certs.HostName.of(host).isIpAddress()) {
                                return TunnelOpener.Resolver.SYSTEM.resolve(host);
                            }
                            throw new java.net.UnknownHostException(host);
                        }))
                .connector((client, address, timeout) -> {
                    EmbeddedChannel origin = new EmbeddedChannel();
                    origin.config().setAutoRead(false);
                    origins.add(origin);
                    connectedTo.add(address);
                    return client.eventLoop().newSucceededFuture(origin);
                })
                .workers(Runnable::run)
                .build();
    }

    private static EmbeddedChannel proxyChannel(TunnelOpener opener) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("http", new HttpServerCodec());
        ch.pipeline().addLast("router", new TestTunnelProxy.ConnectRouter(opener));
        return ch;
    }

    private static void settle(EmbeddedChannel ch) {
        for (int i = 0; i < 5; i++) {
            ch.runPendingTasks();
        }
    }

    private static ByteBuf connect(String target, byte[] after) {
        ByteBuf b = Unpooled.buffer();
        b.writeCharSequence("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n", StandardCharsets.US_ASCII);
        b.writeBytes(after);
        return b;
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder s = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            s.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return s.toString();
    }

    /** The text of a response read as ISO-8859-1 (TLS bytes stay intact that way), re-read as UTF-8. */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static byte[] hello(String sni) throws Exception {
        return TlsClients.clientHello(TlsClients.engine(TlsClients.trusting(ca.certificate()), sni, List.of("h2", "http/1.1"), true));
    }

    private AuditEvent refusal() {
        return audit.events.stream().filter(RecordingAudit.action("refuse")).findFirst().orElseThrow();
    }

    @Test
    void clientHelloInTheSamePacketAsConnectIsKeptAndIntercepted() throws Exception {
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, false));
        ch.writeInbound(connect("upload.example.test:443", hello("upload.example.test")));
        settle(ch);

        String out = outbound(ch);
        assertTrue(out.startsWith("HTTP/1.1 200 Connection Established\r\n\r\n"), out);
        String tls = out.substring("HTTP/1.1 200 Connection Established\r\n\r\n".length());
        assertTrue(tls.length() > 5 && tls.charAt(0) == 0x16 && tls.charAt(1) == 0x03, "our ServerHello follows the 200");
        assertEquals(List.of(new FixedAnswerExchange.Install(new Origin("upload.example.test", 443, true), TestTunnelProxy.USER)),
                exchange.installs);
        assertNull(ch.pipeline().get("router"), "the router left with the codec");
        assertNull(ch.pipeline().get("http"));
        assertTrue(ch.pipeline().get(TunnelSession.TLS) != null);
        assertTrue(connectedTo.isEmpty(), "interception opens no raw connection");
        ch.finishAndReleaseAll();
    }

    @Test
    void badTargetsGet400() throws Exception {
        for (String target : new String[] {"upload.example.test", "http://upload.example.test:443", "user@upload.example.test:443",
                "2001:db8::1:443", "upload.example.test:99999", "*.example.test:443"}) {
            EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, false));
            ch.writeInbound(connect(target, new byte[0]));
            settle(ch);
            String out = outbound(ch);
            assertTrue(out.startsWith("HTTP/1.1 400 Bad Request\r\n"), target + " -> " + out);
            assertTrue(out.contains("host:port"));
            assertFalse(ch.isOpen(), target);
        }
        assertEquals(6, audit.events.size());
        assertTrue(exchange.installs.isEmpty());
    }

    @Test
    void port25IsRefusedAndCannotBeConfigured() throws Exception {
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, true));
        ch.writeInbound(connect("upload.example.test:25", new byte[0]));
        settle(ch);
        String out = outbound(ch);
        assertTrue(out.startsWith("HTTP/1.1 403 Forbidden\r\n"), out);
        assertTrue(utf8(out).contains("ポート 25 への接続は許可されていません"), out);
        assertEquals("port not allowed", refusal().fields().get("reason"));
        assertFalse(ch.isOpen());

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TunnelSettings.builder().allowedPorts(Set.of(443, 25)).build());
        assertTrue(e.getMessage().contains("25"));
        assertFalse(TunnelSettings.builder().allowedPorts(Set.of(443, 8443)).build().portAllowed(25));
    }

    @Test
    void portsOffTheListAreRefused() throws Exception {
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, true));
        ch.writeInbound(connect("upload.example.test:8443", new byte[0]));
        settle(ch);
        assertTrue(outbound(ch).startsWith("HTTP/1.1 403 Forbidden\r\n"));
    }

    @Test
    void internalDestinationsAreRefusedUnlessAllowed() throws Exception {
        for (String target : new String[] {"127.0.0.1:443", "10.0.0.1:443", "[::1]:443", "intranet.example.test:443",
                "169.254.169.254:443"}) {
            EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, false));
            ch.writeInbound(connect(target, new byte[0]));
            settle(ch);
            String out = outbound(ch);
            assertTrue(out.startsWith("HTTP/1.1 403 Forbidden\r\n"), target + " -> " + out);
            assertTrue(out.contains("internal or loopback"), out);
            assertFalse(ch.isOpen());
        }
        assertTrue(audit.events.stream().allMatch(e -> "destination is an internal address".equals(e.fields().get("reason"))));

        EmbeddedChannel lab = proxyChannel(opener(TunnelSettings.DEFAULTS, true));
        lab.writeInbound(connect("intranet.example.test:443", new byte[0]));
        settle(lab);
        assertTrue(outbound(lab).startsWith("HTTP/1.1 200 "), "allowed for labs and tests");
        lab.finishAndReleaseAll();
    }

    @Test
    void unknownHostsGet502() throws Exception {
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, false));
        ch.writeInbound(connect("nowhere.example.test:443", new byte[0]));
        settle(ch);
        assertTrue(outbound(ch).startsWith("HTTP/1.1 502 Bad Gateway\r\n"));
        assertEquals("cannot resolve host", refusal().fields().get("reason"));
    }

    @Test
    void passthroughOnlyWhenTheSniNamesTheListedConnectHost() throws Exception {
        TunnelSettings s = TunnelSettings.builder().passthroughHosts(List.of("bank.example.test")).build();

        // SNI = CONNECT host: raw relay, the ClientHello is the first thing the origin gets.
        EmbeddedChannel ch = proxyChannel(opener(s, false));
        byte[] hello = hello("bank.example.test");
        ch.writeInbound(connect("bank.example.test:443", hello));
        settle(ch);
        assertEquals("HTTP/1.1 200 Connection Established\r\n\r\n", outbound(ch));
        assertEquals(List.of(new InetSocketAddress("198.51.100.8", 443)), connectedTo);
        EmbeddedChannel origin = origins.get(0);
        ByteBuf first = origin.readOutbound();
        assertEquals(hello.length, first.readableBytes());
        assertEquals(Unpooled.wrappedBuffer(hello), first);
        first.release();
        assertTrue(exchange.installs.isEmpty());
        origin.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x03, 0, 1, 2}));
        assertEquals(6, ((ByteBuf) ch.readOutbound()).readableBytes(), "origin bytes reach the client");
        ch.close();
        origin.runPendingTasks();
        assertFalse(origin.isOpen(), "closing one side closes the other");
        AuditEvent pass = audit.await(RecordingAudit.action("passthrough"));
        assertEquals((long) hello.length, pass.fields().get("bytes_sent"));
        assertEquals(6L, pass.fields().get("bytes_received"));
        assertEquals("bank.example.test", pass.fields().get("sni"));
        assertEquals("tanaka", pass.fields().get("user"));

        // SNI of the listed bank inside a CONNECT to it, but not the same host: intercepted, never relayed.
        EmbeddedChannel decoy = proxyChannel(opener(s, false));
        decoy.writeInbound(connect("bank.example.test:443", hello("upload.example.test")));
        settle(decoy);
        assertTrue(outbound(decoy).length() > 60, "our own ServerHello");
        assertEquals(1, connectedTo.size(), "no second raw connection");
        assertEquals(1, exchange.installs.size());

        // No SNI at all for a listed name: intercepted too.
        EmbeddedChannel noSni = proxyChannel(opener(s, false));
        noSni.writeInbound(connect("bank.example.test:443", hello(null)));
        settle(noSni);
        assertEquals(2, exchange.installs.size());
        assertEquals(1, connectedTo.size());
        decoy.finishAndReleaseAll();
        noSni.finishAndReleaseAll();
    }

    @Test
    void anIdleRelayIsClosedAndRecorded() throws Exception {
        TunnelSettings s = TunnelSettings.builder().passthroughHosts(List.of("bank.example.test")).build();
        EmbeddedChannel ch = proxyChannel(opener(s, false));
        ch.writeInbound(connect("bank.example.test:443", hello("bank.example.test")));
        settle(ch);
        EmbeddedChannel origin = origins.get(0);
        ch.advanceTimeBy(TunnelSettings.DEFAULT_RELAY_IDLE_TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen(), "not idle long enough yet");
        ch.advanceTimeBy(TunnelSettings.DEFAULT_RELAY_IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        origin.runPendingTasks();
        assertFalse(origin.isOpen());
        assertEquals("TimeoutException", audit.await(RecordingAudit.action("passthrough")).fields().get("error"));
        origin.finishAndReleaseAll();
        ch.finishAndReleaseAll();
    }

    @Test
    void nonTlsBytesAreRefusedUnlessTheHostMayCarryThem() throws Exception {
        byte[] plain = TlsClients.ascii("GET / HTTP/1.1\r\nHost: upload.example.test\r\n\r\n");
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, false));
        ch.writeInbound(connect("upload.example.test:443", plain));
        settle(ch);
        String out = outbound(ch);
        assertTrue(out.startsWith("HTTP/1.1 200 Connection Established\r\n\r\nHTTP/1.1 403 Forbidden\r\n"), out);
        assertEquals("non-TLS traffic in CONNECT tunnel", refusal().fields().get("reason"));
        assertFalse(ch.isOpen());
        assertTrue(connectedTo.isEmpty());

        TunnelSettings s = TunnelSettings.builder().plainHosts(List.of("*.example.test")).build();
        EmbeddedChannel allowed = proxyChannel(opener(s, false));
        allowed.writeInbound(connect("upload.example.test:443", plain));
        settle(allowed);
        assertEquals("HTTP/1.1 200 Connection Established\r\n\r\n", outbound(allowed));
        ByteBuf relayed = origins.get(0).readOutbound();
        assertEquals(new String(plain, StandardCharsets.US_ASCII), relayed.toString(StandardCharsets.US_ASCII));
        relayed.release();
        allowed.close();
        assertEquals("plain-relay", audit.await(RecordingAudit.action("plain-relay")).fields().get("action"));
    }

    @Test
    void aClientHelloMustArriveInTime() throws Exception {
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, false));
        ch.writeInbound(connect("upload.example.test:443", new byte[] {0x16, 0x03}));
        settle(ch);
        assertTrue(outbound(ch).startsWith("HTTP/1.1 200 "));
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(TunnelSettings.DEFAULT_CLIENT_HELLO_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        assertEquals("no ClientHello within 10 s", refusal().fields().get("reason"));
    }

    @Test
    void aClientHelloSplitOverPacketsIsReassembled() throws Exception {
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.DEFAULTS, false));
        byte[] hello = hello("upload.example.test");
        ch.writeInbound(connect("upload.example.test:443", new byte[0]));
        settle(ch);
        assertTrue(outbound(ch).startsWith("HTTP/1.1 200 "));
        for (int i = 0; i < hello.length; i += 31) {
            ch.writeInbound(Unpooled.wrappedBuffer(hello, i, Math.min(31, hello.length - i)));
        }
        settle(ch);
        assertEquals(1, exchange.installs.size());
        assertTrue(outbound(ch).charAt(0) == 0x16);
        ch.finishAndReleaseAll();
    }

    @Test
    void anOversizedClientHelloIsRefused() throws Exception {
        EmbeddedChannel ch = proxyChannel(opener(TunnelSettings.builder().maxClientHelloBytes(512).build(), false));
        ByteBuf big = Unpooled.buffer();
        // A handshake record announcing a 4 KB ClientHello.
        big.writeBytes(new byte[] {0x16, 0x03, 0x01, 0x10, 0x04, 0x01, 0x00, 0x10, 0x00});
        big.writeZero(0x1000);
        byte[] bytes = new byte[big.readableBytes()];
        big.readBytes(bytes);
        ch.writeInbound(connect("upload.example.test:443", bytes));
        settle(ch);
        assertFalse(ch.isOpen());
        assertEquals("malformed TLS ClientHello", refusal().fields().get("reason"));
        assertTrue(exchange.installs.isEmpty());
        big.release();
        ch.finishAndReleaseAll(); // the 200 written before the ClientHello was read
    }

    @Test
    void connectTargetsAreAuthorityForm() {
        assertEquals(new ConnectTarget("upload.example.test", 443, false), ConnectTarget.parse("Upload.Example.Test:443"));
        assertEquals(new ConnectTarget("2001:db8:0:0:0:0:0:1", 8443, true), ConnectTarget.parse("[2001:db8::1]:8443"));
        assertEquals("[2001:db8:0:0:0:0:0:1]:8443", ConnectTarget.parse("[2001:db8::1]:8443").authority());
        assertEquals(new ConnectTarget("xn--bcher-kva.example", 443, false), ConnectTarget.parse("xn--bcher-kva.example:443"));
        for (String bad : new String[] {"", ":443", "host:", "host:0", "host:65536", "host:+1", "a b:443", "bücher.example:443",
                "host:443/path", "[::1]", "::1:443"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ConnectTarget.parse(bad), bad);
        }
    }

}
