package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.UpstreamSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway as {@code serve} starts it (SQLite store, the real upstream client, the
 * scheduler) with swaks as the mail client and a real SMTP server as the smarthost: a My Number
 * mail is held for approval, the approver is asked by mail with a console link, approves through
 * {@link Gateway#workflow()}, and the smarthost receives exactly the held bytes; every notice is
 * free of the number.
 */
class GatewayHoldFlowTest {
    private static final Path SWAKS = Path.of("/usr/bin/swaks");
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{4}-[0-9]{4}-[0-9]{4}");

    @TempDir
    Path dir;

    private static String swaks(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1", "--port",
                Integer.toString(port), "--helo", "client.test", "--timeout", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private static SmtpSink.Message await(SmtpSink sink, Predicate<SmtpSink.Message> which) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            for (SmtpSink.Message m : sink.snapshot()) {
                if (which.test(m)) {
                    return m;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never arrived; the sink has " + sink.snapshot().size() + " message(s)");
    }

    @Test
    void heldForApprovalApprovedAndReleasedExactlyAsHeld() throws Exception {
        assumeTrue(Files.isExecutable(SWAKS), "swaks is not installed (run-tests.sh installs it)");
        Path policy = dir.resolve("policy.yaml");
        try (InputStream in = GatewayHoldFlowTest.class.getResourceAsStream("/smtp/approval-policy.yaml")) {
            Files.write(policy, in.readAllBytes());
        }
        try (SmtpSink sink = new SmtpSink()) {
            GatewayConfig config = GatewayConfig.builder().dataDir(dir.resolve("data")).policyFile(policy)
                    .smtpListen("127.0.0.1:0").opsListen("127.0.0.1:0")
                    .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withListen("127.0.0.1:0")).hostname("mynaguard.test")
                    .upstream(new UpstreamSettings("127.0.0.1", sink.port(), "none", null, null, null))
                    .hold(HoldSettings.builder().tick(Duration.ofMillis(200))
                            .consoleUrl("https://mynaguard.test:8025/").build())
                    .build();
            try (Gateway g = Gateway.start(config, GatewayComponents.DEFAULT)) {
                String out = swaks(g.smtpAddress().getPort(), "--from", "tanaka@example.co.jp", "--to",
                        "partner@outside.test", "--header", "Subject: roster", "--body", "マイナンバー: 0858-1525-1054");
                Matcher held = Pattern.compile("250 2\\.0\\.0 Held for review, ref ([A-Z0-9]{8})").matcher(out);
                assertTrue(held.find(), out);
                String ref = held.group(1);

                SmtpSink.Message request = await(sink, m -> m.recipients().equals(List.of("yamada@example.co.jp")));
                assertTrue(request.text().contains("https://mynaguard.test:8025/items/" + ref), request.text());
                byte[] stored;
                try (SqliteHoldStore store = SqliteHoldStore.open(dir.resolve("data"));
                     InputStream in = store.openContent(ref)) {
                    stored = in.readAllBytes();
                }
                assertTrue(sink.snapshot().stream().noneMatch(m -> m.recipients().contains("partner@outside.test")),
                        "nothing goes out before the approval");

                Actor yamada = new Actor("yamada", "yamada@example.co.jp", Set.of(Role.APPROVER));
                assertEquals(List.of(ref), g.workflow().awaiting(yamada, 10).stream().map(HeldItem::referenceId).toList());
                g.workflow().approve(yamada, ref, "OK");

                SmtpSink.Message released = await(sink, m -> m.recipients().equals(List.of("partner@outside.test")));
                assertEquals("tanaka@example.co.jp", released.mailFrom());
                assertArrayEquals(stored, released.data(), "exactly the bytes that were held and approved");
                await(sink, m -> m.recipients().equals(List.of("tanaka@example.co.jp"))
                        && m.text().contains("approved"));
                for (SmtpSink.Message m : sink.snapshot()) {
                    if (m != released) {
                        assertFalse(DIGIT_RUN.matcher(m.text()).find(), "a notice with the number: " + m.text());
                        assertEquals("", m.mailFrom(), "notices come from the null sender");
                    }
                }
                assertEquals(1, sink.snapshot().stream().filter(m -> m.recipients().contains("partner@outside.test"))
                        .count());
            }
        }
    }
}
