package jp.mynaguard.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.policy.scan.ScanReport;
import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.UpstreamSettings;
import jp.mynaguard.proxy.smtp.PolicySnapshot;
import jp.mynaguard.proxy.smtp.upstream.SmtpSink;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} of a gateway started as {@code serve}
 * starts it (real hold store, real upstream or outbox), scraped over loopback with java's
 * HttpClient after real mail went through it.
 */
class OpsEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private Path policy() throws Exception {
        Path p = dir.resolve("policy.yaml");
        Files.copy(Paths.get(OpsEndpointsTest.class.getResource("/smtp/policy.yaml").toURI()), p);
        return p;
    }

    private static Path example(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(p.resolve("examples").resolve(name))) {
            p = p.getParent();
        }
        return p.resolve("examples").resolve(name);
    }

    private GatewayConfig.Builder config(Path policy) {
        return GatewayConfig.builder()
                .dataDir(dir.resolve("data"))
                .policyFile(policy)
                .smtpListen("127.0.0.1:0")
                .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0"))
                .opsListen("127.0.0.1:0")
                .hostname("mynaguard.test");
    }

    static HttpResponse<String> get(Gateway g, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + g.opsAddress().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The value of one series, e.g. {@code sample(text, "mynaguard_decisions_total", "action", "allow", ...)}. */
    static double sample(String text, String name, String... labels) {
        StringBuilder series = new StringBuilder(name);
        if (labels.length > 0) {
            series.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                series.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
            }
            series.append('}');
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series.toString()) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    private static void send(MimeMessage m, String to) throws Exception {
        Transport.send(m, new InternetAddress[] {new InternetAddress(to)});
    }

    private static Session session(int port) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        return Session.getInstance(p);
    }

    private static MimeMessage clean(Session s) throws Exception {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("tanaka@example.co.jp"));
        m.setRecipients(Message.RecipientType.TO, "someone@partner.example.test");
        m.setSubject("見積書", "UTF-8");
        m.setText("お見積りをお送りします。\n", "UTF-8");
        return m;
    }

    private static MimeMessage withNumbers(Session s) throws Exception {
        try (InputStream in = Files.newInputStream(example("mail-with-my-numbers.eml"))) {
            return new MimeMessage(s, in);
        }
    }

    /** What the gateway's scanner finds in the example mail, per type and level. */
    private static Map<FindingType, Map<Level, Integer>> expectedFindings(Path policy) throws Exception {
        PolicySnapshot snap = PolicySnapshot.of(PolicyLoader.withSystemClock().load(policy).policy().orElseThrow());
        ScanReport r = snap.scanner().scan(Format.MESSAGE, "", "message.eml",
                InputSource.of(Files.readAllBytes(example("mail-with-my-numbers.eml"))));
        Map<FindingType, Map<Level, Integer>> out = new EnumMap<>(FindingType.class);
        for (Finding f : r.findings()) {
            out.computeIfAbsent(f.type(), t -> new EnumMap<>(Level.class)).merge(f.level(), 1, Integer::sum);
        }
        return out;
    }

    /** STARTTLS, then plain text instead of a ClientHello. */
    private static void failedStartTls(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            readReply(in);
            out.write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            readReply(in);
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(readReply(in).startsWith("220"));
            out.write("this is not a TLS record, just text\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read() >= 0) {
                // until the gateway closes the connection
            }
        }
    }

    private static String readReply(InputStream in) throws Exception {
        StringBuilder all = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            line.append((char) c);
            if (c == '\n') {
                all.append(line);
                if (line.length() > 3 && line.charAt(3) == ' ') {
                    break;
                }
                line.setLength(0);
            }
        }
        return all.toString();
    }

    @Test
    void theCountersMoveWhenMailGoesThrough() throws Exception {
        Path policy = policy();
        try (Gateway g = Gateway.start(config(policy).build(), GatewayComponents.DEFAULT)) {
            HttpResponse<String> first = get(g, "/metrics");
            assertEquals(200, first.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", first.headers().firstValue("content-type").orElse(""));
            assertEquals(0.0, sample(first.body(), "mynaguard_decisions_total", "action", "allow", "channel", "smtp"));
            assertEquals(1.0, sample(first.body(), "mynaguard_policy_version", "version", g.policyVersion()));
            assertEquals(1.0, sample(first.body(), "mynaguard_policy_reloads_total", "result", "accepted"));
            assertEquals(1.0, sample(first.body(), "mynaguard_policy_last_reload_success"));
            assertEquals(0.0, sample(first.body(), "mynaguard_hold_items", "state", "held"));

            int port = g.smtpAddress().getPort();
            Session s = session(port);
            send(clean(s), "someone@partner.example.test");
            SMTPSendFailedException refused = assertThrows(SMTPSendFailedException.class,
                    () -> send(withNumbers(s), "someone@partner.example.test"));
            assertEquals(550, refused.getReturnCode());
            send(withNumbers(s), "check@review.example.test");
            failedStartTls(port);

            String text = get(g, "/metrics").body();
            assertEquals(1.0, sample(text, "mynaguard_decisions_total", "action", "allow", "channel", "smtp"));
            assertEquals(1.0, sample(text, "mynaguard_decisions_total", "action", "block", "channel", "smtp"));
            assertEquals(1.0, sample(text, "mynaguard_decisions_total", "action", "quarantine", "channel", "smtp"));
            assertEquals(0.0, sample(text, "mynaguard_decisions_total", "action", "allow", "channel", "http"));
            assertEquals(3.0, sample(text, "mynaguard_scan_seconds_count", "channel", "smtp"));
            Map<FindingType, Map<Level, Integer>> one = expectedFindings(policy);
            assertTrue(one.containsKey(FindingType.MY_NUMBER), "the example holds My Numbers: " + one);
            for (FindingType t : FindingType.values()) {
                for (Level l : Level.values()) {
                    int perMessage = one.getOrDefault(t, Map.of()).getOrDefault(l, 0);
                    assertEquals(2.0 * perMessage, sample(text, "mynaguard_findings_total", "channel", "smtp",
                            "level", l.name().toLowerCase(), "type", t.name().toLowerCase()), t + " " + l);
                }
            }
            // Hold-store counts are read at most every OpsLimits.HOLD_COUNT_CACHE: the first scrape's zero may linger.
            long countsBy = System.nanoTime() + OpsLimits.HOLD_COUNT_CACHE.toNanos() + TimeUnit.SECONDS.toNanos(5);
            String counts = text;
            while (sample(counts, "mynaguard_hold_items", "state", "held") == 0 && System.nanoTime() < countsBy) {
                Thread.sleep(200);
                counts = get(g, "/metrics").body();
            }
            assertEquals(1.0, sample(counts, "mynaguard_hold_items", "state", "held"));
            assertEquals(0.0, sample(counts, "mynaguard_hold_items", "state", "released"));
            assertEquals(1.0, sample(text, "mynaguard_tls_handshake_failures_total", "listener", "smtp", "reason", "not_tls"));
            // jakarta.mail: three sessions; the raw STARTTLS client: one.
            assertEquals(4.0, sample(text, "mynaguard_connections_total", "listener", "smtp"));
            assertTrue(sample(text, "mynaguard_connections_total", "listener", "console") >= 1.0, "our own scrape (kept alive)");
            assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM metrics are there too");

            // A broken edit is rejected; the old policy stays and the metrics say so.
            String version = g.policyVersion();
            Files.writeString(policy, "version: 1\nrules: [\n");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sample(text, "mynaguard_policy_reloads_total", "result", "rejected") == 0 && System.nanoTime() < until) {
                Thread.sleep(100);
                text = get(g, "/metrics").body();
            }
            assertEquals(1.0, sample(text, "mynaguard_policy_reloads_total", "result", "rejected"));
            assertEquals(0.0, sample(text, "mynaguard_policy_last_reload_success"));
            assertEquals(1.0, sample(text, "mynaguard_policy_version", "version", version));
            assertEquals(200, get(g, "/readyz").statusCode(), "the old policy is still in force");
        }
    }

    @Test
    void readyWithTheOutboxAndTheStore() throws Exception {
        try (Gateway g = Gateway.start(config(policy()).build(), GatewayComponents.DEFAULT)) {
            HttpResponse<String> r = get(g, "/readyz");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("ready\npolicy: ok (version " + g.policyVersion() + ")\n"), r.body());
            assertTrue(r.body().contains("hold_store: ok"), r.body());
            assertTrue(r.body().contains("upstream: ok"), r.body());
            HttpResponse<String> h = get(g, "/healthz");
            assertEquals(200, h.statusCode());
            assertEquals("ok\n", h.body());
            assertEquals(404, get(g, "/holds").statusCode(), "only the ops paths until the console mounts the handler");
        }
    }

    @Test
    void notReadyWhileTheSmarthostIsDownAndReadyWhenItAnswers(@TempDir Path sinkDir) throws Exception {
        Assumptions.assumeTrue(SmtpSink.available(), "postfix's smtp-sink is not installed (run-tests.sh installs it)");
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        GatewayConfig down = config(policy())
                .upstream(new UpstreamSettings("127.0.0.1", closedPort, "none", null, null, null)).build();
        try (Gateway g = Gateway.start(down, GatewayComponents.DEFAULT)) {
            HttpResponse<String> r = get(g, "/readyz");
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("upstream: FAILED (unreachable)"), r.body());
            assertTrue(r.body().contains("policy: ok"), r.body());
            assertEquals(200, get(g, "/healthz").statusCode(), "alive all the same");
            String text = get(g, "/metrics").body();
            assertTrue(sample(text, "mynaguard_upstream_errors_total", "kind", "unreachable") >= 1.0, text);
        }
        try (SmtpSink sink = SmtpSink.start(sinkDir)) {
            GatewayConfig up = config(dir.resolve("policy.yaml"))
                    .upstream(new UpstreamSettings("127.0.0.1", sink.port, "none", null, null, null)).build();
            try (Gateway g = Gateway.start(up, GatewayComponents.DEFAULT)) {
                HttpResponse<String> r = get(g, "/readyz");
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("upstream: ok (probe succeeded)"), r.body());
            }
        }
    }
}
