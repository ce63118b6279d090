package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mynaguard serve} as a separate process with the real outbox and hold store: allowed mail
 * lands in the outbox, and a held message that got its 250 is still in the store after the
 * process is killed with SIGKILL and started again.
 */
class ServeProcessTest {
    private static final Pattern REF = Pattern.compile("Held for review, ref ([A-Z2-9]{8})");

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts serve and waits for its start-up banner. */
    private static Process serve(Path data, int port) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "jp.mynaguard.proxy.Main", "serve",
                "--policy", TestGateway.policyFile().toString(), "--data", data.toString(),
                "--smtp-listen", "127.0.0.1:" + port, "--http-listen", "127.0.0.1:0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("Mynaguard is running.")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (IOException e) {
                        // process gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new AssertionError("serve did not start, exit " + p.waitFor());
    }

    @Test
    void heldMailSurvivesSigkillAndAllowedMailReachesTheOutbox(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        int port = freePort();
        Process p = serve(data, port);
        String ref;
        try (RawSmtpClient c = new RawSmtpClient(port)) {
            String held = c.send("tanaka@example.co.jp", List.of("a@review.example.test"),
                    "Subject: list\r\n\r\nMy Number: 0858-1525-1054\r\n".getBytes(StandardCharsets.US_ASCII));
            Matcher m = REF.matcher(held);
            assertTrue(m.find(), held);
            ref = m.group(1);
            assertTrue(c.send("tanaka@example.co.jp", List.of("someone@partner.example.test"),
                    "Subject: fine\r\n\r\nnothing here\r\n".getBytes(StandardCharsets.US_ASCII)).startsWith("250"));
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        try (Stream<Path> outbox = Files.list(data.resolve("outbox"))) {
            assertTrue(outbox.anyMatch(f -> f.toString().endsWith(".eml")), "allowed mail in the outbox");
        }
        try (HoldStore store = GatewayComponents.DEFAULT.holdStore(data)) {
            HeldItem item = store.find(ref).orElseThrow(() -> new AssertionError("held item lost after SIGKILL"));
            assertEquals("review-quarantine", item.rule());
        }
        Process again = serve(data, port);
        try (RawSmtpClient c = new RawSmtpClient(port)) {
            assertTrue(c.command("NOOP", "250").startsWith("250"), "starts again on the same data");
        } finally {
            again.destroy();
            assertTrue(again.waitFor(60, TimeUnit.SECONDS));
        }
    }
}
